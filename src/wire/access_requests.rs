//! Restore operator roles as clients send them: a role to create or edit, and the
//! operators and items added to one, read into the model's terms.

use serde::Deserialize;
use uuid::Uuid;

use super::body::{BodyError, invalid};
use super::job_requests::ObjectReference;
use crate::model::{DirectoryObject, RoleChange, RoleScope};

/// `RESTRbacRoleCreateModel` as sent; what is left out stays as it was.
#[derive(Debug, Deserialize)]
pub struct RoleRequest {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(rename = "roletype", default)]
    role_type: Option<RoleScope>,
    #[serde(default)]
    operators: Option<Vec<RoleItemRequest>>,
    #[serde(rename = "selecteditems", default)]
    selected_items: Option<Vec<RoleItemRequest>>,
    #[serde(rename = "excludeditems", default)]
    excluded_items: Option<Vec<RoleItemRequest>>,
}

impl RoleRequest {
    pub fn into_change(self) -> Result<RoleChange, BodyError> {
        let objects = |items: Option<Vec<RoleItemRequest>>| {
            items
                .map(|items| {
                    items
                        .into_iter()
                        .map(RoleItemRequest::into_object)
                        .collect()
                })
                .transpose()
        };
        Ok(RoleChange {
            name: self.name,
            description: self.description,
            scope: self.role_type,
            operators: objects(self.operators)?,
            selected_items: objects(self.selected_items)?,
            excluded_items: objects(self.excluded_items)?,
        })
    }
}

/// `RESTRemoveAuditItemsOptions` as sent: the ids of the audit items to remove.
#[derive(Debug, Deserialize)]
pub struct RemoveAuditItemsRequest {
    #[serde(rename = "itemids")]
    pub item_ids: Vec<String>,
}

/// `RESTRbacItemComposed` (and `RESTRbacOperator`, `RESTAuditUserOrGroup`) as sent: its type and the object it
/// names by id.
#[derive(Debug, Deserialize)]
pub struct RoleItemRequest {
    #[serde(rename = "type")]
    kind: RoleItemKind,
    #[serde(default)]
    user: Option<ObjectReference>,
    #[serde(default)]
    group: Option<ObjectReference>,
    #[serde(default)]
    site: Option<ObjectReference>,
    #[serde(default)]
    team: Option<ObjectReference>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
enum RoleItemKind {
    User,
    Group,
    Site,
    Team,
}

impl RoleItemRequest {
    /// The object the item names; whether it exists in the role's organization is the
    /// store's to check.
    pub fn into_object(self) -> Result<DirectoryObject, BodyError> {
        let (reference, what, object): (_, _, fn(Uuid) -> DirectoryObject) = match self.kind {
            RoleItemKind::User => (self.user, "user", DirectoryObject::User),
            RoleItemKind::Group => (self.group, "group", DirectoryObject::Group),
            RoleItemKind::Site => (self.site, "site", DirectoryObject::Site),
            RoleItemKind::Team => (self.team, "team", DirectoryObject::Team),
        };
        let reference = reference.ok_or_else(|| {
            invalid(format!(
                "An item of this type must name its {what} with an id."
            ))
        })?;
        let id = Uuid::parse_str(&reference.id).map_err(|_| {
            invalid(format!(
                "The value '{}' is not a valid {what} id: expected a GUID.",
                reference.id
            ))
        })?;
        Ok(object(id))
    }
}
