//! Collections on the wire as pages: `{offset, limit, results, _links}`, plus `setId` and
//! `totalCount` where the version has them.

use std::fmt::{self, Display};

use serde::Serialize;
use uuid::Uuid;

use super::links::{Href, Link};
use super::query::{FromQuery, QueryError};
use axum::response::Response;

use super::{Context, Version, ok};

/// Paging as every paged resource takes it: `offset` (default 0) and `limit` (default 30,
/// at most 10,000). Parameter names match without regard to case, as ASP.NET binds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub offset: usize,
    pub limit: usize,
}

impl Paging {
    pub const DEFAULT_LIMIT: usize = 30;
    pub const MAX_LIMIT: usize = 10_000;

    pub fn from_query(query: Option<&str>) -> Result<Self, QueryError> {
        let mut paging = Self::default();
        for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
            if name.eq_ignore_ascii_case("offset") {
                paging.offset = parse_count(&name, &value, usize::MAX)?;
            } else if name.eq_ignore_ascii_case("limit") {
                paging.limit = parse_count(&name, &value, Self::MAX_LIMIT)?;
            }
        }
        Ok(paging)
    }

    /// The page of an ordered index: a slice, never a scan.
    pub fn slice<'a, T>(&self, items: &'a [T]) -> &'a [T] {
        let start = self.offset.min(items.len());
        let end = start.saturating_add(self.limit).min(items.len());
        &items[start..end]
    }

    /// The page of an index kept oldest first, listed newest first.
    pub fn slice_newest_first<'a, T>(&self, items: &'a [T]) -> impl Iterator<Item = &'a T> {
        let end = items.len().saturating_sub(self.offset);
        let start = end.saturating_sub(self.limit);
        items[start..end].iter().rev()
    }

    /// The page of any ordered sequence, for collections filtered on the way.
    pub fn take<I: Iterator>(&self, items: I) -> impl Iterator<Item = I::Item> {
        items.skip(self.offset).take(self.limit)
    }

    /// Where this page sits, for the page's links; `collection` is the path after the version.
    pub fn info<'a>(&self, total: usize, collection: &'a str) -> PageInfo<'a> {
        PageInfo {
            offset: self.offset,
            limit: self.limit,
            total,
            collection,
        }
    }
}

fn parse_count(name: &str, value: &str, max: usize) -> Result<usize, QueryError> {
    match value.trim().parse::<usize>() {
        Ok(count) if count <= max => Ok(count),
        Ok(_) => Err(QueryError(format!(
            "The value '{value}' of parameter '{name}' is out of range: it may be at most {max}."
        ))),
        Err(_) => Err(QueryError(format!(
            "The value '{value}' of parameter '{name}' is not valid: expected a non-negative integer."
        ))),
    }
}

/// Every version pages alike.
impl FromQuery for Paging {
    fn from_query(_version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        Self::from_query(query)
    }
}

impl Default for Paging {
    /// The first page of 30.
    fn default() -> Self {
        Self {
            offset: 0,
            limit: Self::DEFAULT_LIMIT,
        }
    }
}

/// Where a page sits in its collection, and the path its links repeat.
#[derive(Debug, Clone, Copy)]
pub struct PageInfo<'a> {
    pub offset: usize,
    pub limit: usize,
    /// How many items the whole (filtered) collection holds.
    pub total: usize,
    /// The collection's path after the version, e.g. `/RestoreSessions`.
    pub collection: &'a str,
}

/// A page body: `offset`, `limit`, `results`, then `_links` with `first`/`prev` when there
/// is something before and `next` when there is something after.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageBody<T> {
    offset: usize,
    limit: usize,
    /// v6 on: the id under which the service would cache the query; stable per collection.
    #[serde(skip_serializing_if = "Option::is_none")]
    set_id: Option<Uuid>,
    results: Vec<T>,
    #[serde(rename = "_links")]
    links: PageLinks,
    /// v6 and v7 count the whole collection; v8 dropped it.
    #[serde(skip_serializing_if = "Option::is_none")]
    total_count: Option<usize>,
}

impl<T> PageBody<T> {
    pub fn new(cx: &Context<'_>, info: PageInfo<'_>, results: Vec<T>) -> Self {
        let version = cx.version;
        let has_previous = info.offset > 0;
        let has_next = info.limit > 0 && info.offset.saturating_add(info.limit) < info.total;
        let base = Href {
            host: cx.link_host(),
            path: CollectionPath {
                version,
                collection: info.collection,
                query: cx.query,
            },
        }
        .to_string();
        Self {
            offset: info.offset,
            limit: info.limit,
            set_id: (version >= Version::V6).then(|| set_id(info.collection)),
            results,
            links: PageLinks {
                base,
                limit: info.limit,
                first: has_previous.then_some(0),
                prev: has_previous.then(|| info.offset.saturating_sub(info.limit)),
                this: info.offset,
                next: has_next.then(|| info.offset + info.limit),
            },
            total_count: matches!(version, Version::V6 | Version::V7).then_some(info.total),
        }
    }
}

/// The id under which the service would keep a query's results: a name-based UUID of
/// the collection, so it is stable. The last one made is remembered, as a client walking a
/// collection asks for it page after page.
pub(super) fn set_id(collection: &str) -> Uuid {
    thread_local! {
        static LAST: std::cell::RefCell<(String, Uuid)> =
            const { std::cell::RefCell::new((String::new(), Uuid::nil())) };
    }
    LAST.with_borrow_mut(|(last, id)| {
        if last != collection || id.is_nil() {
            *id = Uuid::new_v5(&Uuid::NAMESPACE_URL, collection.as_bytes());
            last.clear();
            last.push_str(collection);
        }
        *id
    })
}

/// A page's `_links`: each the collection with the request's filters (`base`, written once
/// per page) and the offset it goes to.
struct PageLinks {
    base: String,
    limit: usize,
    first: Option<usize>,
    prev: Option<usize>,
    this: usize,
    next: Option<usize>,
}

impl Serialize for PageLinks {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        for (name, offset) in [
            ("first", self.first),
            ("prev", self.prev),
            ("self", Some(self.this)),
            ("next", self.next),
        ] {
            if let Some(offset) = offset {
                let href = PageHref {
                    base: &self.base,
                    offset,
                    limit: self.limit,
                };
                map.serialize_entry(name, &Link(href))?;
            }
        }
        map.end()
    }
}

/// `{base}offset=30&limit=30`.
struct PageHref<'a> {
    base: &'a str,
    offset: usize,
    limit: usize,
}

impl Display for PageHref<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.base)?;
        f.write_str("offset=")?;
        self.offset.fmt(f)?;
        f.write_str("&limit=")?;
        self.limit.fmt(f)
    }
}

/// `/v3/RestoreSessions?` with every parameter of the request but the paging (its
/// filters), each followed by `&`, so a client that follows the links stays in the
/// collection it asked for.
struct CollectionPath<'a> {
    version: Version,
    collection: &'a str,
    /// The request's query as sent.
    query: Option<&'a str>,
}

impl Display for CollectionPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.version.prefix())?;
        f.write_str(self.collection)?;
        f.write_str("?")?;
        let filters = form_urlencoded::parse(self.query.unwrap_or_default().as_bytes()).filter(
            |(name, _)| !name.eq_ignore_ascii_case("offset") && !name.eq_ignore_ascii_case("limit"),
        );
        for (name, value) in filters {
            for piece in form_urlencoded::byte_serialize(name.as_bytes()) {
                f.write_str(piece)?;
            }
            f.write_str("=")?;
            for piece in form_urlencoded::byte_serialize(value.as_bytes()) {
                f.write_str(piece)?;
            }
            f.write_str("&")?;
        }
        Ok(())
    }
}

/// Organizations, jobs, repositories and proxies: a whole array up to v7, a page in v8.
pub fn array_or_page<T: Serialize>(
    cx: &Context<'_>,
    bodies: Vec<T>,
    paging: Paging,
    collection: &str,
) -> Response {
    if cx.version < Version::V8 {
        return ok(&bodies);
    }
    let total = bodies.len();
    let page: Vec<T> = bodies
        .into_iter()
        .skip(paging.offset)
        .take(paging.limit)
        .collect();
    ok(&PageBody::new(cx, paging.info(total, collection), page))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Quirks;
    use serde_json::{Value, json};

    fn page(version: Version, offset: usize, limit: usize, total: usize) -> Value {
        let cx = Context {
            host: "h:4443",
            quirks: Quirks::default(),
            version,
            query: None,
        };
        let info = PageInfo {
            offset,
            limit,
            total,
            collection: "/RestoreSessions",
        };
        serde_json::to_value(PageBody::<u8>::new(&cx, info, Vec::new())).unwrap()
    }

    #[test]
    fn the_first_page_links_itself_and_the_next() {
        assert_eq!(
            page(Version::V3, 0, 30, 45)["_links"],
            json!({
                "self": { "href": "https://h:4443/v3/RestoreSessions?offset=0&limit=30" },
                "next": { "href": "https://h:4443/v3/RestoreSessions?offset=30&limit=30" },
            })
        );
    }

    #[test]
    fn the_last_page_links_first_and_prev_but_no_next() {
        let links = page(Version::V3, 30, 30, 45)["_links"].clone();
        assert_eq!(
            links["first"]["href"],
            "https://h:4443/v3/RestoreSessions?offset=0&limit=30"
        );
        assert_eq!(
            links["prev"]["href"],
            "https://h:4443/v3/RestoreSessions?offset=0&limit=30"
        );
        assert!(links.get("next").is_none());
    }

    #[test]
    fn v6_pages_link_relatively_and_count_the_collection() {
        let body = page(Version::V6, 0, 30, 45);
        assert_eq!(
            body["_links"]["next"]["href"],
            "/v6/RestoreSessions?offset=30&limit=30"
        );
        assert_eq!(body["totalCount"], 45);
        assert!(body["setId"].is_string());
        let v8 = page(Version::V8, 0, 30, 45);
        assert!(v8.get("totalCount").is_none());
        assert!(page(Version::V5, 0, 30, 45).get("setId").is_none());
    }

    #[test]
    fn filters_are_kept_in_page_links() {
        let cx = Context {
            host: "h",
            quirks: Quirks::default(),
            version: Version::V3,
            query: Some("organizationId=abc&Offset=0&limit=1&name=a%20b*"),
        };
        let info = PageInfo {
            offset: 0,
            limit: 1,
            total: 2,
            collection: "/LicensedUsers",
        };
        let body = serde_json::to_value(PageBody::<u8>::new(&cx, info, Vec::new())).unwrap();
        assert_eq!(
            body["_links"]["next"]["href"],
            "https://h/v3/LicensedUsers?organizationId=abc&name=a+b*&offset=1&limit=1"
        );
    }
}
