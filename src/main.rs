fn main() {
    std::process::exit(firepatrol::cli::main());
}
