//! What an organization holds and jobs back up: users with their OneDrives, groups, sites
//! and teams, plus the roles that let restore operators at them.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where a directory object lives: in Microsoft 365, on premises, or synchronised to both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LocationType {
    Cloud,
    OnPremises,
    Hybrid,
}

/// A mailbox owner of an organization.
#[derive(Debug, Clone, PartialEq)]
pub struct DirectoryUser {
    pub id: Uuid,
    pub organization_id: Uuid,
    /// The user principal name, e.g. `adelev@contoso.onmicrosoft.com`.
    pub name: String,
    pub display_name: String,
    pub kind: UserKind,
    pub location: LocationType,
    /// The security identifier of the user's on-premises account (`S-1-5-21-...`); none
    /// for a cloud-only user.
    pub on_premises_sid: Option<String>,
    pub office: String,
    pub onedrives: Vec<OneDrive>,
    /// How many times a usual mailbox's mail the user's backed-up mailbox gathers
    /// (1: a usual one), so a test can browse a mailbox of millions of items.
    pub mailbox_scale: u32,
}

/// A person's mailbox, a shared mailbox or a public folder mailbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserKind {
    User,
    Shared,
    Public,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OneDrive {
    pub id: Uuid,
    pub name: String,
    pub url: String,
    /// How many times a usual OneDrive's documents the backed-up OneDrive gathers (1: a
    /// usual one), so a test can browse a OneDrive of millions of documents.
    pub document_scale: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub id: Uuid,
    pub organization_id: Uuid,
    /// The mail alias, e.g. `sales@contoso.onmicrosoft.com`.
    pub name: String,
    pub display_name: String,
    pub kind: GroupKind,
    pub location: LocationType,
    /// The security identifier of the group on premises; none for a cloud-only group.
    pub on_premises_sid: Option<String>,
    pub managed_by: String,
    /// The group's SharePoint site, empty when it has none.
    pub site: String,
}

impl Group {
    /// Whether `user` belongs to the group. World files name no members, so membership
    /// follows from the two ids: about half of an organization's people are in each group,
    /// the same on every start. Shared and public folder mailboxes belong to none.
    pub fn has_member(&self, user: &DirectoryUser) -> bool {
        let pair = (self.id.as_u128() ^ user.id.as_u128().rotate_left(64)) as u64;
        user.organization_id == self.organization_id
            && user.kind == UserKind::User
            && super::mix(pair).is_multiple_of(2)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GroupKind {
    Office365,
    Security,
    Distribution,
    DynamicDistribution,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub url: String,
    pub title: String,
    /// The site above this one, empty for a site collection.
    pub parent_url: String,
    /// A personal site is the SharePoint side of a OneDrive.
    pub is_personal: bool,
    pub is_cloud: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub display_name: String,
    pub description: String,
    pub mail: String,
}

/// A directory object a role names: an operator, or an item operators may or may not restore.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "id")]
pub enum DirectoryObject {
    User(Uuid),
    Group(Uuid),
    Site(Uuid),
    Team(Uuid),
}

impl DirectoryObject {
    pub fn id(&self) -> Uuid {
        match self {
            Self::User(id) | Self::Group(id) | Self::Site(id) | Self::Team(id) => *id,
        }
    }

    /// What the service calls an object of its kind in messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Self::User(_) => "User",
            Self::Group(_) => "Group",
            Self::Site(_) => "Site",
            Self::Team(_) => "Team",
        }
    }
}

/// A restore operator role: who may restore (operators) what (the whole organization, or
/// the selected items) except the excluded items.
#[derive(Debug, Clone, PartialEq)]
pub struct RbacRole {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    pub description: String,
    pub scope: RoleScope,
    pub operators: Vec<DirectoryObject>,
    pub selected_items: Vec<DirectoryObject>,
    pub excluded_items: Vec<DirectoryObject>,
}

/// The three lists of a role, by the path segment that names each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleList {
    Operators,
    SelectedItems,
    ExcludedItems,
}

impl RoleList {
    pub const ALL: [RoleList; 3] = [Self::Operators, Self::SelectedItems, Self::ExcludedItems];

    pub fn segment(self) -> &'static str {
        match self {
            Self::Operators => "operators",
            Self::SelectedItems => "selectedItems",
            Self::ExcludedItems => "excludedItems",
        }
    }
}

impl RbacRole {
    pub fn list(&self, list: RoleList) -> &[DirectoryObject] {
        match list {
            RoleList::Operators => &self.operators,
            RoleList::SelectedItems => &self.selected_items,
            RoleList::ExcludedItems => &self.excluded_items,
        }
    }

    pub fn list_mut(&mut self, list: RoleList) -> &mut Vec<DirectoryObject> {
        match list {
            RoleList::Operators => &mut self.operators,
            RoleList::SelectedItems => &mut self.selected_items,
            RoleList::ExcludedItems => &mut self.excluded_items,
        }
    }
}

/// A role as a create or an edit gives it; what is left out stays as it was.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleChange {
    pub name: Option<String>,
    pub description: Option<String>,
    pub scope: Option<RoleScope>,
    pub operators: Option<Vec<DirectoryObject>>,
    pub selected_items: Option<Vec<DirectoryObject>>,
    pub excluded_items: Option<Vec<DirectoryObject>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoleScope {
    EntireOrganization,
    SpecificObjects,
}

/// The self-service restore portal, as the server is configured for it.
#[derive(Debug, Clone, PartialEq)]
pub struct RestorePortal {
    pub is_enabled: bool,
    /// The Microsoft Entra application the portal signs users in with.
    pub application_id: Uuid,
    pub authority_uri: String,
    pub portal_uri: String,
}

impl Default for RestorePortal {
    /// A server whose portal was never set up.
    fn default() -> Self {
        Self {
            is_enabled: false,
            application_id: Uuid::nil(),
            authority_uri: String::new(),
            portal_uri: String::new(),
        }
    }
}
