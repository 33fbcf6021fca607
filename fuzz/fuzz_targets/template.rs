#![no_main]
//! The checklist template import (TOML or JSON): any text, never a panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    firepatrol::fuzzing::template(data);
});
