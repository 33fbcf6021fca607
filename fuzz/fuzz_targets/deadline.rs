#![no_main]
//! The deadline parser: any text, never a panic, never a date before today.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    firepatrol::fuzzing::deadline(data);
});
