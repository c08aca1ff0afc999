//! HAL links: `{"href": ...}` values built from the host the client used and a canonical path.

use std::fmt::{self, Display};

use serde::{Serialize, Serializer};
use uuid::Uuid;

use super::{Context, Version};

/// A link: an absolute `https://` URL on the host the client addressed (v3..v5), or the
/// path alone (v6 on), with a path that writes itself.
#[derive(Debug, Clone, Copy)]
pub struct Href<'a, P> {
    pub host: Option<&'a str>,
    pub path: P,
}

impl<P: Display> Display for Href<'_, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(host) = self.host {
            f.write_str("https://")?;
            f.write_str(host)?;
        }
        self.path.fmt(f)
    }
}

/// One entry of `_links`: `{"href": "..."}`.
#[derive(Debug, Clone, Copy)]
pub struct Link<T>(pub T);

impl<T: Display> Serialize for Link<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct HrefObject<'a, T: Display> {
            #[serde(serialize_with = "as_string")]
            href: &'a T,
        }
        fn as_string<T: Display, S: Serializer>(
            value: &&T,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            super::display(*value, serializer)
        }
        HrefObject { href: &self.0 }.serialize(serializer)
    }
}

/// A link whose href was written once for a whole page: the entries of a page that all
/// link the same resource (a log item's session) share the text, and it is serialized as
/// it is, with no formatting per entry.
#[derive(Debug, Clone, Copy)]
pub(super) struct SharedLink<'a>(pub &'a str);

impl Serialize for SharedLink<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct HrefObject<'a> {
            href: &'a str,
        }
        HrefObject { href: self.0 }.serialize(serializer)
    }
}

/// A resource path: `/vN` + `segment` + id + `suffix`, written without allocating.
#[derive(Debug, Clone, Copy)]
pub(super) struct IdPath<'a> {
    pub version: Version,
    pub segment: &'static str,
    pub id: &'a Uuid,
    pub suffix: &'static str,
}

/// Written piece by piece rather than through `write!`: a page of log items writes one of
/// these per item, and the formatting machinery cost more than the bytes.
impl Display for IdPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.version.prefix())?;
        f.write_str(self.segment)?;
        f.write_str(
            self.id
                .hyphenated()
                .encode_lower(&mut Uuid::encode_buffer()),
        )?;
        f.write_str(self.suffix)
    }
}

pub(super) type IdLink<'a> = Link<Href<'a, IdPath<'a>>>;

/// A link to `/vN{segment}{id}{suffix}`, absolute or relative as the version wants.
pub(super) fn link<'a>(
    cx: &Context<'a>,
    segment: &'static str,
    id: &'a Uuid,
    suffix: &'static str,
) -> IdLink<'a> {
    Link(Href {
        host: cx.link_host(),
        path: IdPath {
            version: cx.version,
            segment,
            id,
            suffix,
        },
    })
}

/// A path under a resource: `/vN` + `segment` + id + `middle` + the sub-resource's id,
/// such as `/v6/Jobs/{id}/SelectedItems/{itemId}`.
#[derive(Debug, Clone, Copy)]
pub(super) struct SubPath<'a> {
    pub parent: IdPath<'a>,
    pub id: &'a Uuid,
}

impl Display for SubPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.parent.fmt(f)?;
        f.write_str(
            self.id
                .hyphenated()
                .encode_lower(&mut Uuid::encode_buffer()),
        )
    }
}

/// A link to `/vN{segment}{id}{middle}{sub_id}`.
pub(super) fn sub_link<'a>(
    cx: &Context<'a>,
    segment: &'static str,
    id: &'a Uuid,
    middle: &'static str,
    sub_id: &'a Uuid,
) -> Link<Href<'a, SubPath<'a>>> {
    Link(Href {
        host: cx.link_host(),
        path: SubPath {
            parent: IdPath {
                version: cx.version,
                segment,
                id,
                suffix: middle,
            },
            id: sub_id,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn href_is_absolute_on_the_host_the_client_used() {
        let href = Href {
            host: Some("support.east.local:4443"),
            path: "/v3/JobSessions/be376069-2865-4156-a9bc-825cef7d687e",
        };
        assert_eq!(
            href.to_string(),
            "https://support.east.local:4443/v3/JobSessions/be376069-2865-4156-a9bc-825cef7d687e"
        );
    }

    #[test]
    fn link_serializes_as_an_href_object() {
        let link = Link(Href {
            host: Some("[::1]:4443"),
            path: "/v3/Jobs",
        });
        assert_eq!(
            serde_json::to_string(&link).unwrap(),
            r#"{"href":"https://[::1]:4443/v3/Jobs"}"#
        );
    }

    #[test]
    fn without_a_host_the_link_is_relative() {
        let href = Href {
            host: None,
            path: "/v6/JobSessions?offset=30&limit=30",
        };
        assert_eq!(href.to_string(), "/v6/JobSessions?offset=30&limit=30");
    }
}
