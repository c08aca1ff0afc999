//! Collections on the wire: plain arrays, or pages `{offset, limit, results, _links}`.

use std::fmt::{self, Display};

use serde::Serialize;

use super::links::{Href, Link};

/// Where a page sits in its collection, and the path its links repeat.
#[derive(Debug, Clone, Copy)]
pub struct PageInfo<'a> {
    pub offset: usize,
    pub limit: usize,
    /// How many items the whole (filtered) collection holds.
    pub total: usize,
    /// The canonical path of the collection, e.g. `/v3/RestoreSessions`.
    pub path: &'a str,
    /// A filter the links must keep, e.g. `("organizationId", "...")`.
    pub filter: Option<(&'static str, &'a str)>,
}

/// A page body: `offset`, `limit`, `results`, then `_links` with `first`/`prev` when there
/// is something before and `next` when there is something after.
#[derive(Serialize)]
pub struct PageBody<'a, T> {
    offset: usize,
    limit: usize,
    results: Vec<T>,
    #[serde(rename = "_links")]
    links: PageLinks<'a>,
}

impl<'a, T> PageBody<'a, T> {
    pub fn new(host: &'a str, info: PageInfo<'a>, results: Vec<T>) -> Self {
        let at = |offset| {
            Link(Href {
                host,
                path: PagePath { info, offset },
            })
        };
        let has_previous = info.offset > 0;
        let has_next = info.limit > 0 && info.offset.saturating_add(info.limit) < info.total;
        Self {
            offset: info.offset,
            limit: info.limit,
            results,
            links: PageLinks {
                first: has_previous.then(|| at(0)),
                prev: has_previous.then(|| at(info.offset.saturating_sub(info.limit))),
                this: at(info.offset),
                next: has_next.then(|| at(info.offset + info.limit)),
            },
        }
    }
}

#[derive(Serialize)]
struct PageLinks<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    first: Option<Link<Href<'a, PagePath<'a>>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prev: Option<Link<Href<'a, PagePath<'a>>>>,
    #[serde(rename = "self")]
    this: Link<Href<'a, PagePath<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<Link<Href<'a, PagePath<'a>>>>,
}

/// `/v3/RestoreSessions?offset=30&limit=30`, keeping the collection's filter.
#[derive(Debug, Clone, Copy)]
struct PagePath<'a> {
    info: PageInfo<'a>,
    offset: usize,
}

impl Display for PagePath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}?", self.info.path)?;
        if let Some((name, value)) = self.info.filter {
            write!(f, "{name}={value}&")?;
        }
        write!(f, "offset={}&limit={}", self.offset, self.info.limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn links(offset: usize, limit: usize, total: usize) -> Value {
        let info = PageInfo {
            offset,
            limit,
            total,
            path: "/v3/RestoreSessions",
            filter: None,
        };
        serde_json::to_value(PageBody::<u8>::new("h:4443", info, Vec::new())).unwrap()["_links"]
            .clone()
    }

    #[test]
    fn the_first_page_links_itself_and_the_next() {
        assert_eq!(
            links(0, 30, 45),
            json!({
                "self": { "href": "https://h:4443/v3/RestoreSessions?offset=0&limit=30" },
                "next": { "href": "https://h:4443/v3/RestoreSessions?offset=30&limit=30" },
            })
        );
    }

    #[test]
    fn the_last_page_links_first_and_prev_but_no_next() {
        let links = links(30, 30, 45);
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
    fn filters_are_kept_in_page_links() {
        let info = PageInfo {
            offset: 0,
            limit: 1,
            total: 2,
            path: "/v3/LicensedUsers",
            filter: Some(("organizationId", "abc")),
        };
        let body = serde_json::to_value(PageBody::<u8>::new("h", info, Vec::new())).unwrap();
        assert_eq!(
            body["_links"]["next"]["href"],
            "https://h/v3/LicensedUsers?organizationId=abc&offset=1&limit=1"
        );
    }
}
