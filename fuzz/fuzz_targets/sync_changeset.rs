#![no_main]
//! The changeset checker: any bytes as the changeset of a laptop's signed bundle, applied at the office and rolled back.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    firepatrol::fuzzing::changeset(data);
});
