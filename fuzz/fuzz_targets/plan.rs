//! A Terraform plan in JSON (`terraform show -json`), loaded as a check loads `plan.json`.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use palisade_plan::{Options, PlanScope};
use palisade_syntax::json;

/// As many problems as a check keeps of one file.
const MAX_ERRORS: usize = 100;

fuzz_target!(|data: &[u8]| {
    common::load_text(data, "plan.json", |file, text| {
        match json::top_level(text) {
            Some(parts) if palisade_plan::is_plan(&parts) => {
                for scope in [PlanScope::Changed, PlanScope::All] {
                    let options = Options {
                        scope,
                        max_errors: MAX_ERRORS,
                        ..Options::default()
                    };
                    let _ = palisade_plan::resources(text, &parts, file, &options);
                }
            }
            Some(_) => {}
            // A file that reads like a plan but is not one is parsed again, for the error.
            None => {
                let _ = json::parse(file, text);
            }
        }
    });
});
