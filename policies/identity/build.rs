//! Lists the rule files under `src/rules/` for `palisade_policy::family!`.

fn main() {
    palisade_family_build::generate();
}
