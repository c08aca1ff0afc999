//! Authentication: who may log in, the token endpoint, the token store and the bearer middleware.

pub mod bearer;
pub mod endpoint;
pub mod tokens;

use crate::config::UserCredential;
pub use tokens::TokenStore;

/// The accounts that may log in and the tokens handed out to them.
#[derive(Debug)]
pub struct Auth {
    users: Vec<UserCredential>,
    pub tokens: TokenStore,
}

impl Auth {
    pub fn new(users: Vec<UserCredential>, tokens: TokenStore) -> Self {
        Self { users, tokens }
    }

    /// Checks a password login. Windows accounts arrive as `DOMAIN\user`; the domain is
    /// ignored and the name compared without regard to case, as Windows does.
    pub fn verify_password(&self, user_name: &str, password: &str) -> bool {
        let account = user_name.rsplit('\\').next().unwrap_or(user_name);
        self.users
            .iter()
            .any(|user| user.name.eq_ignore_ascii_case(account) && user.password == password)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth() -> Auth {
        let users = vec!["Admin:s3cret".parse().unwrap()];
        Auth::new(users, TokenStore::new(3600, None))
    }

    #[test]
    fn a_domain_prefix_and_the_case_of_the_name_do_not_matter() {
        let auth = auth();
        assert!(auth.verify_password("EAST\\admin", "s3cret"));
        assert!(auth.verify_password("ADMIN", "s3cret"));
    }

    #[test]
    fn the_password_must_match_exactly() {
        let auth = auth();
        assert!(!auth.verify_password("admin", "S3cret"));
        assert!(!auth.verify_password("other", "s3cret"));
    }
}
