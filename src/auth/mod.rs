//! Authentication: the token endpoint, the token store and the bearer middleware.

pub mod bearer;
pub mod endpoint;
pub mod tokens;

pub use tokens::TokenStore;
