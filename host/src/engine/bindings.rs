//! Typed access to a policy component's exports, generated from `wit/policy.wit`: the
//! exports every 0.1.x component has (world `policy-core`); the ones added since are
//! looked up by name, since an older component may lack them (see `policy`).

wasmtime::component::bindgen!({
    path: "../wit",
    world: "policy-core",
});
