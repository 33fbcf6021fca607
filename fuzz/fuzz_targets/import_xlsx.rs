#![no_main]
//! The building and people import of an .xlsx file: any bytes, never a panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    firepatrol::fuzzing::import_xlsx(data);
});
