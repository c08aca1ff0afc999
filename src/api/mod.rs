//! HTTP handlers for the API resources, one module per resource family, and what every
//! handler is given: the request context, typed ids, parsed queries and bodies.

mod azure;
mod backup_data;
mod buckets;
mod copy_jobs;
mod credentials;
mod directory;
mod ec2;
mod infrastructure;
mod jobs;
mod license;
mod licensed_users;
mod log_items;
mod logged_in;
mod mail;
mod onedrive;
mod organization_setup;
mod organizations;
mod protected;
mod proxies;
mod repository_sessions;
mod restore;
mod restore_actions;
mod restore_operators;
mod restore_point_contents;
mod restore_sessions;
mod service_instance;
mod sessions;
mod settings;
mod teams;
mod teams_restore;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, FromRequestParts, OriginalUri, Request};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::uri::{Authority, PathAndQuery};
use axum::http::{HeaderValue, Method, header};
use axum::routing::{MethodRouter, on};

use crate::AppState;
use crate::error::ApiError;
use crate::store::World;
use crate::wire::query::FromQuery;
use crate::wire::{self, Version};

pub use crate::wire::page::Paging;

/// The state of one version's routes: the application's, and the version they were built
/// for, so a handler knows its dialect without reading the path again.
#[derive(Clone)]
pub struct VersionState {
    pub app: AppState,
    pub version: Version,
}

impl FromRef<VersionState> for AppState {
    fn from_ref(state: &VersionState) -> AppState {
        state.app.clone()
    }
}

/// What a route is: its method and its path as the contract writes it (`/v6/Jobs/{jobId}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: Method,
    pub path: String,
    /// The query parameters the route cannot answer without, so walkers that know no
    /// values for them pass it by.
    pub required_query: &'static [&'static str],
}

/// The routes of one version as they are added: each is put on the router (at its
/// canonical, lower-case path) and written down, so the contract tests and the bad-input
/// corpus walk exactly what is served.
pub struct Routes {
    version: Version,
    protected: Router<VersionState>,
    open: Router<VersionState>,
    table: Vec<RouteInfo>,
}

impl Routes {
    fn new(version: Version) -> Self {
        Self {
            version,
            protected: Router::new(),
            open: Router::new(),
            table: Vec::new(),
        }
    }

    pub fn version(&self) -> Version {
        self.version
    }

    /// Every route, in the order they were added.
    pub fn table(&self) -> &[RouteInfo] {
        &self.table
    }

    pub fn get<H: Handler<T, VersionState>, T: 'static>(self, path: &str, handler: H) -> Self {
        self.add(Method::GET, path, handler)
    }

    /// A GET route that answers only with the query parameters `required`.
    pub fn get_asking<H: Handler<T, VersionState>, T: 'static>(
        self,
        path: &str,
        required: &'static [&'static str],
        handler: H,
    ) -> Self {
        self.add(Method::GET, path, handler).asking(required)
    }

    /// A POST route that answers only with the query parameters `required`.
    pub fn post_asking<H: Handler<T, VersionState>, T: 'static>(
        self,
        path: &str,
        required: &'static [&'static str],
        handler: H,
    ) -> Self {
        self.add(Method::POST, path, handler).asking(required)
    }

    /// Writes down that the route added last needs the query parameters `required`.
    fn asking(mut self, required: &'static [&'static str]) -> Self {
        if let Some(route) = self.table.last_mut() {
            route.required_query = required;
        }
        self
    }

    pub fn post<H: Handler<T, VersionState>, T: 'static>(self, path: &str, handler: H) -> Self {
        self.add(Method::POST, path, handler)
    }

    pub fn put<H: Handler<T, VersionState>, T: 'static>(self, path: &str, handler: H) -> Self {
        self.add(Method::PUT, path, handler)
    }

    pub fn delete<H: Handler<T, VersionState>, T: 'static>(self, path: &str, handler: H) -> Self {
        self.add(Method::DELETE, path, handler)
    }

    /// Adds what `add` adds when the version has it.
    pub fn when(self, condition: bool, add: impl FnOnce(Self) -> Self) -> Self {
        if condition { add(self) } else { self }
    }

    /// A route that answers without a token (the token endpoint).
    pub fn open_post<H: Handler<T, VersionState>, T: 'static>(
        mut self,
        path: &str,
        handler: H,
    ) -> Self {
        let full = self.register(Method::POST, path);
        self.open = self.open.route(&full, axum::routing::post(handler));
        self
    }

    fn add<H: Handler<T, VersionState>, T: 'static>(
        mut self,
        method: Method,
        path: &str,
        handler: H,
    ) -> Self {
        let full = self.register(method.clone(), path);
        let filter = axum::routing::MethodFilter::try_from(method)
            .unwrap_or_else(|_| unreachable!("routes are added with the methods HTTP defines"));
        let route: MethodRouter<VersionState> = on(filter, handler);
        self.protected = self.protected.route(&full, route);
        self
    }

    /// Writes the route down and answers the path the router matches it at.
    fn register(&mut self, method: Method, path: &str) -> String {
        let full = format!("{}{path}", self.version.prefix());
        let canonical = full.to_ascii_lowercase();
        self.table.push(RouteInfo {
            method,
            path: full,
            required_query: &[],
        });
        canonical
    }

    /// The routes as two routers for `state`: those behind the bearer token and the open ones.
    pub fn into_routers(self, app: AppState) -> (Router<AppState>, Router<AppState>) {
        let state = VersionState {
            app,
            version: self.version,
        };
        (
            self.protected.with_state(state.clone()),
            self.open.with_state(state),
        )
    }
}

/// The routes of one API version, by resource family: the routes every version has, and
/// those the version's dialect says it has.
pub fn routes(version: Version) -> Routes {
    let routes = Routes::new(version)
        .open_post("/Token", crate::auth::endpoint::issue_token)
        .when(version.has_logout(), |routes| {
            routes.post("/Token/logout", crate::auth::endpoint::log_out)
        });
    [
        log_items::routes,
        sessions::routes,
        jobs::routes,
        organizations::routes,
        directory::routes,
        infrastructure::routes,
        proxies::routes,
        repository_sessions::routes,
        restore_sessions::routes,
        licensed_users::routes,
        license::routes,
        restore_operators::routes,
        restore::routes,
        restore_point_contents::routes,
        mail::routes,
        onedrive::routes,
        teams::routes,
        teams_restore::routes,
        protected::routes,
        backup_data::routes,
        service_instance::routes,
        settings::routes,
        copy_jobs::routes,
        credentials::routes,
        organization_setup::routes,
        logged_in::routes,
        ec2::routes,
        buckets::routes,
        azure::routes,
    ]
    .into_iter()
    .fold(routes, |routes, family| family(routes))
}

/// What every handler is given: the application, the version its route was built for and
/// the host links are built on.
pub struct Ctx {
    pub state: AppState,
    pub version: Version,
    host: RequestHost,
    /// The path and query as sent (a reference-counted copy), for links that repeat the
    /// query's filters.
    target: Option<PathAndQuery>,
}

impl Ctx {
    /// The rendering context of this request.
    pub fn wire(&self) -> wire::Context<'_> {
        wire::Context {
            host: self.host.as_str(),
            quirks: self.state.quirks,
            version: self.version,
            query: self.target.as_ref().and_then(PathAndQuery::query),
        }
    }

    /// The virtual clock's time.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.state.clock.now()
    }

    /// Runs `read` on the world with the request's rendering context.
    pub fn read<R>(&self, read: impl FnOnce(&World, &wire::Context<'_>) -> R) -> R {
        let cx = self.wire();
        self.state.world.read(|world| read(world, &cx))
    }
}

impl FromRequestParts<VersionState> for Ctx {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &VersionState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self {
            state: state.app.clone(),
            version: state.version,
            host: RequestHost::from_parts(parts)?,
            target: parts.uri.path_and_query().cloned(),
        })
    }
}

/// The version a route was built for.
impl FromRequestParts<VersionState> for Version {
    type Rejection = ApiError;

    async fn from_request_parts(
        _parts: &mut Parts,
        state: &VersionState,
    ) -> Result<Self, Self::Rejection> {
        Ok(state.version)
    }
}

/// Path parameters: ids arrive typed (`PathParams<Id<Job>>`) and a malformed one is
/// answered with the resource's own 400, in the version's error shape.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct PathParams<T>(pub T);

/// The request's query, parsed into `T` by the rules of the route's version; a value the
/// route does not take is a 400.
pub struct Query<T>(pub T);

impl<T: FromQuery> FromRequestParts<VersionState> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &VersionState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(T::from_query(state.version, parts.uri.query())?))
    }
}

/// A request body as bytes; one over the limit or cut off is answered in the vendor's shape.
pub struct Body(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(Bytes::from_request(request, state).await?))
    }
}

/// A JSON body read into `T` as ASP.NET binds it (see `wire::body`); one that cannot be
/// read, or does not fit `T`, is the version's 400 with what is wrong.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Body(bytes) = Body::from_request(request, state).await?;
        Ok(Self(wire::body::read(&bytes)?))
    }
}

/// The `Host` the client addressed (or the HTTP/2 authority), which every absolute link is
/// built on. Held as the header value itself, so extracting it copies nothing.
#[derive(Debug, Clone)]
pub struct RequestHost(HeaderValue);

impl RequestHost {
    pub fn as_str(&self) -> &str {
        // Only values that parsed as an authority get here, and those are ASCII.
        self.0.to_str().unwrap_or_default()
    }

    fn from_parts(parts: &Parts) -> Result<Self, ApiError> {
        let value = match parts.headers.get(header::HOST) {
            Some(value) => value.clone(),
            None => parts
                .uri
                .authority()
                .and_then(|authority| HeaderValue::from_str(authority.as_str()).ok())
                .ok_or_else(invalid_host)?,
        };
        let is_host = value
            .to_str()
            .ok()
            .filter(|text| !text.contains('@'))
            .is_some_and(|text| text.parse::<Authority>().is_ok());
        if is_host {
            Ok(Self(value))
        } else {
            Err(invalid_host())
        }
    }
}

/// HTTP.sys answers a bad `Host` with this text.
fn invalid_host() -> ApiError {
    ApiError::BadRequest("Bad Request - Invalid Hostname".to_owned())
}

/// The answer for a path no route matches, in ASP.NET Web API's words.
pub async fn no_route(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::NotFound(format!(
        "No HTTP resource was found that matches the request URI '{}'.",
        uri.path()
    ))
}

/// The answer for a known path with a method it does not take; axum adds the `Allow` header.
pub async fn method_not_allowed(method: Method) -> ApiError {
    ApiError::MethodNotAllowed(method)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_defaults_to_the_first_thirty() {
        assert_eq!(
            Paging::from_query(None).unwrap(),
            Paging {
                offset: 0,
                limit: 30
            }
        );
    }

    #[test]
    fn paging_names_match_without_regard_to_case_and_others_are_ignored() {
        assert_eq!(
            Paging::from_query(Some("Offset=5&LIMIT=10000&foo=bar")).unwrap(),
            Paging {
                offset: 5,
                limit: 10_000
            }
        );
    }

    #[test]
    fn negative_non_numeric_and_too_large_values_are_refused() {
        for query in [
            "offset=-1",
            "limit=abc",
            "limit=10001",
            "offset=",
            "limit=1.5",
        ] {
            assert!(
                Paging::from_query(Some(query)).is_err(),
                "{query} was accepted"
            );
        }
    }

    #[test]
    fn a_page_past_the_end_is_empty_and_limit_zero_gives_nothing() {
        let items = [1, 2, 3];
        assert_eq!(
            Paging {
                offset: 1,
                limit: 30
            }
            .slice(&items),
            &[2, 3]
        );
        assert!(
            Paging {
                offset: 5,
                limit: 30
            }
            .slice(&items)
            .is_empty()
        );
        assert!(
            Paging {
                offset: 0,
                limit: 0
            }
            .slice(&items)
            .is_empty()
        );
        assert_eq!(
            Paging {
                offset: usize::MAX,
                limit: usize::MAX
            }
            .slice(&items)
            .len(),
            0
        );
    }

    #[test]
    fn every_route_of_a_version_is_written_down_once() {
        for version in Version::ALL {
            let routes = routes(version);
            let mut seen = std::collections::HashSet::new();
            for route in routes.table() {
                let key = (route.method.clone(), route.path.to_ascii_lowercase());
                assert!(seen.insert(key), "{} {} twice", route.method, route.path);
            }
            assert!(
                routes
                    .table()
                    .iter()
                    .any(|route| route.path.ends_with("/Token"))
            );
        }
    }
}
