#![no_main]
//! The bundle reader: any bytes as a sync or enrolment file, read, checked, opened and unpacked.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    firepatrol::fuzzing::bundle(data);
});
