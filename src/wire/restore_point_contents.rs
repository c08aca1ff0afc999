//! What a restore point holds (its mailboxes, OneDrives, sites, teams; from v7 its users
//! and groups), arrays in v6 and pages in v7, and the feeds of changes of restore points and
//! job sessions with the tokens that page them (v7).

use axum::response::Response;
use serde::Serialize;
use uuid::Uuid;

use super::links::{Href, IdLink, Link, link};
use super::page::{PageBody, Paging, set_id};
use super::query::{FromQuery, QueryError};
use super::{Context, Version, ok};
use crate::model::{
    BackedUpPart, ChangeFeed, ChangeMark, ChangePage, ChangesFrom, DirectoryUser, Group, JobKind,
    PartSpans, Site, Team, UserKind,
};

/// A listing of a restore point: the whole array in v6, a page of it in v7.
fn listing<T: Serialize>(
    cx: &Context<'_>,
    bodies: Vec<T>,
    paging: Paging,
    collection: &str,
) -> Response {
    if cx.version <= Version::V6 {
        return ok(&bodies);
    }
    let page = paging.info(bodies.len(), collection);
    let shown: Vec<T> = bodies
        .into_iter()
        .skip(paging.offset)
        .take(paging.limit)
        .collect();
    ok(&PageBody::new(cx, page, shown))
}

/// Every entry links back to the restore point it was listed from.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PointLinks<'a> {
    restore_point: IdLink<'a>,
}

fn point_links<'a>(cx: &Context<'a>, point_id: &'a Uuid) -> PointLinks<'a> {
    PointLinks {
        restore_point: link(cx, "/RestorePoints/", point_id, ""),
    }
}

/// `RESTRestorePointMailbox`.
pub fn mailboxes<'a>(
    cx: &Context<'a>,
    point_id: &'a Uuid,
    users: &[&'a DirectoryUser],
    paging: Paging,
    collection: &str,
) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        id: &'a Uuid,
        display_name: &'a str,
        email: &'a str,
        is_archive: bool,
        #[serde(rename = "_links")]
        links: PointLinks<'a>,
    }
    let bodies = users
        .iter()
        .map(|user| Body {
            id: &user.id,
            display_name: &user.display_name,
            email: &user.name,
            is_archive: false,
            links: point_links(cx, point_id),
        })
        .collect();
    listing(cx, bodies, paging, collection)
}

/// `RESTRestorePointOneDrive`: each OneDrive of the users whose OneDrives it holds.
pub fn onedrives<'a>(
    cx: &Context<'a>,
    point_id: &'a Uuid,
    users: &[&'a DirectoryUser],
    paging: Paging,
    collection: &str,
) -> Response {
    #[derive(Serialize)]
    struct Body<'a> {
        id: &'a Uuid,
        name: &'a str,
        url: &'a str,
        #[serde(rename = "_links")]
        links: PointLinks<'a>,
    }
    let bodies = users
        .iter()
        .flat_map(|user| &user.onedrives)
        .map(|drive| Body {
            id: &drive.id,
            name: &drive.name,
            url: &drive.url,
            links: point_links(cx, point_id),
        })
        .collect();
    listing(cx, bodies, paging, collection)
}

/// `RESTRestorePointSite`.
pub fn sites<'a>(
    cx: &Context<'a>,
    point_id: &'a Uuid,
    sites: &[&'a Site],
    paging: Paging,
    collection: &str,
) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        site_id: &'a Uuid,
        name: &'a str,
        url: &'a str,
        #[serde(rename = "_links")]
        links: PointLinks<'a>,
    }
    let bodies = sites
        .iter()
        .map(|site| Body {
            site_id: &site.id,
            name: if site.title.is_empty() {
                super::directory::site_name(site)
            } else {
                &site.title
            },
            url: &site.url,
            links: point_links(cx, point_id),
        })
        .collect();
    listing(cx, bodies, paging, collection)
}

/// `RESTRestorePointTeam`.
pub fn teams<'a>(
    cx: &Context<'a>,
    point_id: &'a Uuid,
    teams: &[&'a Team],
    paging: Paging,
    collection: &str,
) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        id: &'a Uuid,
        display_name: &'a str,
        description: &'a str,
        #[serde(rename = "_links")]
        links: PointLinks<'a>,
    }
    let bodies = teams
        .iter()
        .map(|team| Body {
            id: &team.id,
            display_name: &team.display_name,
            description: &team.description,
            links: point_links(cx, point_id),
        })
        .collect();
    listing(cx, bodies, paging, collection)
}

/// `RESTRestorePointUser` (v7): a user with which of their data the restore point holds.
/// Archive mailboxes and personal sites are not backed up apart in the emulator's world.
pub fn users<'a>(
    cx: &Context<'a>,
    point_id: &'a Uuid,
    users: &[(&'a DirectoryUser, PartSpans)],
    paging: Paging,
    collection: &str,
) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        is_mailbox_backed_up: bool,
        is_one_drive_backed_up: bool,
        is_archive_backed_up: bool,
        is_personal_site_backed_up: bool,
        account_type: &'static str,
        archive_name: &'static str,
        id: &'a Uuid,
        account_id: &'a Uuid,
        display_name: &'a str,
        email: &'a str,
        one_drive_url: Vec<&'a str>,
        personal_site_url: Vec<&'a str>,
        organization_id: &'a Uuid,
        backed_up_organization_id: &'a Uuid,
        #[serde(rename = "_links")]
        links: PointLinks<'a>,
    }
    let bodies = users
        .iter()
        .map(|(user, spans)| {
            let onedrive = spans.holds(BackedUpPart::OneDrive);
            Body {
                is_mailbox_backed_up: spans.holds(BackedUpPart::Mailbox),
                is_one_drive_backed_up: onedrive,
                is_archive_backed_up: false,
                is_personal_site_backed_up: false,
                account_type: match user.kind {
                    UserKind::User => "User",
                    UserKind::Shared => "SharedMailbox",
                    UserKind::Public => "PublicMailbox",
                },
                archive_name: "",
                id: &user.id,
                account_id: &user.id,
                display_name: &user.display_name,
                email: &user.name,
                one_drive_url: user
                    .onedrives
                    .iter()
                    .filter(|_| onedrive)
                    .map(|drive| drive.url.as_str())
                    .collect(),
                personal_site_url: Vec::new(),
                organization_id: &user.organization_id,
                backed_up_organization_id: &user.organization_id,
                links: point_links(cx, point_id),
            }
        })
        .collect();
    listing(cx, bodies, paging, collection)
}

/// `RESTRestorePointGroup` (v7): a group with whether its mailbox and site are held. The
/// emulator's backups take a group as one object, mailbox and site together.
pub fn groups<'a>(
    cx: &Context<'a>,
    point_id: &'a Uuid,
    groups: &[(&'a Group, PartSpans)],
    paging: Paging,
    collection: &str,
) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        is_mailbox_backed_up: bool,
        is_site_backed_up: bool,
        id: &'a Uuid,
        account_id: &'a Uuid,
        display_name: &'a str,
        email: &'a str,
        group_site_url: Vec<String>,
        organization_id: &'a Uuid,
        backed_up_organization_id: &'a Uuid,
        #[serde(rename = "_links")]
        links: PointLinks<'a>,
    }
    let bodies = groups
        .iter()
        .map(|(group, spans)| {
            let held = spans.holds(BackedUpPart::Group);
            Body {
                is_mailbox_backed_up: held,
                is_site_backed_up: held,
                id: &group.id,
                account_id: &group.id,
                display_name: &group.display_name,
                email: &group.name,
                group_site_url: Vec::new(),
                organization_id: &group.organization_id,
                backed_up_organization_id: &group.organization_id,
                links: point_links(cx, point_id),
            }
        })
        .collect();
    listing(cx, bodies, paging, collection)
}

// ---------------------------------------------------------------------------------------
// Feeds of changes

/// A change token as the answers give it: the mark's nanoseconds and id; `0` is the start.
fn token(mark: Option<ChangeMark>) -> String {
    mark.map_or_else(
        || "0".to_owned(),
        |mark| format!("{}.{}", mark.at, mark.id.simple()),
    )
}

fn parse_token(value: &str) -> Result<ChangesFrom, QueryError> {
    let value = value.trim();
    if value == "0" {
        return Ok(ChangesFrom::Start);
    }
    if value.eq_ignore_ascii_case("latest") {
        return Ok(ChangesFrom::Latest);
    }
    value
        .split_once('.')
        .and_then(|(at, id)| {
            Some(ChangesFrom::After(ChangeMark {
                at: at.parse().ok()?,
                id: Uuid::try_parse(id).ok()?,
            }))
        })
        .ok_or_else(|| {
            QueryError(format!(
                "The value '{value}' of parameter 'from' is not a change token: give one an earlier answer's nextChangeToken gave, 0 or latest."
            ))
        })
}

/// `from` (a change token), `limit` and, for job sessions, `jobType` (Backup or Copy).
impl FromQuery for ChangeFeed {
    fn from_query(_version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let limit = Paging::from_query(query)?.limit;
        let mut feed = ChangeFeed {
            from: None,
            limit,
            kind: None,
        };
        for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
            if name.eq_ignore_ascii_case("from") {
                feed.from = Some(parse_token(&value)?);
            } else if name.eq_ignore_ascii_case("jobType") {
                feed.kind = Some(match value.to_ascii_lowercase().as_str() {
                    "backup" => JobKind::Backup,
                    "copy" => JobKind::Copy,
                    _ => {
                        return Err(QueryError(format!(
                            "The value '{value}' of parameter 'jobType' is not valid: expected Backup or Copy."
                        )));
                    }
                });
            }
        }
        Ok(feed)
    }
}

/// The query of the next page of a feed: the request's own filters, from the token given.
fn next_query(query: Option<&str>, token: &str, limit: usize) -> String {
    let mut next = form_urlencoded::Serializer::new(String::new());
    for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if !name.eq_ignore_ascii_case("from") && !name.eq_ignore_ascii_case("limit") {
            next.append_pair(&name, &value);
        }
    }
    next.append_pair("from", token);
    next.append_pair("limit", &limit.to_string());
    next.finish()
}

/// A page of a feed of changes: `nextChangeToken`, `limit`, `setId`, `results`, `_links`
/// (the page itself and the next one) and `totalCount`, the changes after `from` in all.
pub fn changes<'a, T: Serialize>(
    cx: &Context<'a>,
    collection: &str,
    limit: usize,
    page: ChangePage<T>,
) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a, T> {
        next_change_token: String,
        limit: usize,
        set_id: Uuid,
        results: Vec<T>,
        #[serde(rename = "_links")]
        links: Links<'a>,
        total_count: usize,
    }
    #[derive(Serialize)]
    struct Links<'a> {
        #[serde(rename = "self")]
        this: Link<Href<'a, String>>,
        next: Link<Href<'a, String>>,
    }
    let next_change_token = token(page.next);
    let at = |query: String| {
        Link(Href {
            host: cx.link_host(),
            path: format!("{}{collection}?{query}", cx.version.prefix()),
        })
    };
    ok(&Body {
        links: Links {
            this: at(cx.query.unwrap_or_default().to_owned()),
            next: at(next_query(cx.query, &next_change_token, limit)),
        },
        next_change_token,
        limit,
        set_id: set_id(collection),
        results: page.results,
        total_count: page.total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_reads_back_as_the_mark_it_was_written_from() {
        let mark = ChangeMark {
            at: 1_491_296_400_123_456_700,
            id: Uuid::from_u128(0xfeed),
        };
        assert_eq!(
            parse_token(&token(Some(mark))).unwrap(),
            ChangesFrom::After(mark)
        );
        assert_eq!(parse_token(&token(None)).unwrap(), ChangesFrom::Start);
        assert_eq!(parse_token("Latest").unwrap(), ChangesFrom::Latest);
        for bad in [
            "",
            "yesterday",
            "12.not-a-guid",
            "x.0000000000000000000000000000feed",
        ] {
            assert!(parse_token(bad).is_err(), "{bad} was taken");
        }
    }

    #[test]
    fn the_next_page_keeps_the_filters_and_moves_the_token() {
        assert_eq!(
            next_query(Some("jobType=Copy&from=0&LIMIT=5"), "7.abc", 5),
            "jobType=Copy&from=7.abc&limit=5"
        );
    }
}
