//! Feeds arbitrary bytes to the situation loader: it must answer with a situation or a
//! diagnostic, never panic, hang or exhaust memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(loaded) = tandem::io::parse_bytes(data) {
        // Whatever loads must also save and load again.
        if loaded.read_only.is_none()
            && let Ok(text) = tandem::io::to_ron(&loaded.situation)
        {
            let _ = tandem::io::parse_situation(&text);
        }
    }
});
