//! Authentication: the token endpoint, the token store, account lockout and the bearer middleware.

pub mod bearer;
pub mod endpoint;
pub mod lockout;
pub mod tokens;

pub use tokens::TokenStore;
