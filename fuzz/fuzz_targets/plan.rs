//! A Terraform plan in JSON (`terraform show -json`), loaded as a check loads `plan.json`.
#![no_main]

mod common;

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use palisade_plan::PlanScope;
use palisade_syntax::json;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = text.to_owned();
    common::on_worker(move || {
        let file = Path::new("/nonexistent/palisade-fuzz/plan.json");
        match json::top_level(&text) {
            Some(parts) if palisade_plan::is_plan(&parts) => {
                for scope in [PlanScope::Changed, PlanScope::All] {
                    let _ = palisade_plan::resources(&text, &parts, file, scope, 100);
                }
            }
            Some(_) => {}
            // A file that reads like a plan but is not one is parsed again, for the error.
            None => {
                let _ = json::parse(file, &text);
            }
        }
    });
});
