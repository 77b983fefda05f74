//! Typed access to a policy component's exports, generated from `wit/policy.wit`.

wasmtime::component::bindgen!({
    path: "../wit",
    world: "policy",
});
