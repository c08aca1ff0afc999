//! Path canonicalisation: the service routes without regard to case and ignores a trailing slash.

use axum::extract::Request;
use axum::http::Uri;
use axum::http::uri::PathAndQuery;

/// Rewrites the request path to lower case without trailing slashes before routing, so that
/// `/v3/JobSessions/{id}/LogItems/` and `/V3/jobsessions/{id}/logitems` reach the same route.
/// Ids are GUIDs, which compare without regard to case, so lowering them loses nothing.
/// Paths that are already canonical are left untouched and cost no allocation.
pub fn canonicalize_path(request: &mut Request) {
    let path = request.uri().path();
    let trimmed = path.trim_end_matches('/');
    let trimmed = if trimmed.is_empty() { "/" } else { trimmed };
    if trimmed.len() == path.len() && !trimmed.bytes().any(|byte| byte.is_ascii_uppercase()) {
        return;
    }
    let mut canonical = trimmed.to_ascii_lowercase();
    if let Some(query) = request.uri().query() {
        canonical.push('?');
        canonical.push_str(query);
    }
    let mut parts = request.uri().clone().into_parts();
    if let Ok(path_and_query) = PathAndQuery::try_from(canonical) {
        parts.path_and_query = Some(path_and_query);
        if let Ok(uri) = Uri::from_parts(parts) {
            *request.uri_mut() = uri;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn canonical(uri: &str) -> String {
        let mut request = Request::builder().uri(uri).body(Body::empty()).unwrap();
        canonicalize_path(&mut request);
        request.uri().to_string()
    }

    #[test]
    fn upper_case_and_trailing_slashes_are_folded_and_the_query_kept() {
        assert_eq!(
            canonical(
                "/v3/JobSessions/BE376069-2865-4156-A9BC-825CEF7D687E/LogItems/?offset=0&Limit=5"
            ),
            "/v3/jobsessions/be376069-2865-4156-a9bc-825cef7d687e/logitems?offset=0&Limit=5"
        );
    }

    #[test]
    fn the_root_stays_the_root() {
        assert_eq!(canonical("/"), "/");
        assert_eq!(canonical("//"), "/");
    }

    #[test]
    fn canonical_paths_are_unchanged() {
        assert_eq!(canonical("/v3/token"), "/v3/token");
    }
}
