//! Writing policies: what a team needs to go from an idea to a component the runner
//! loads. [`scaffold`] writes a new policy crate, [`cargo`] builds it for
//! `wasm32-wasip2`, [`validate`] checks what the component declares, and [`fixtures`]
//! runs it against fixture directories whose [`expect`] files say what it must find.

pub mod cargo;
pub mod expect;
pub mod fixtures;
pub mod scaffold;
pub mod validate;
