//! What the world's backups protect: the objects each job session processed, and the users,
//! groups, sites and teams of organizations that have restore points.

use uuid::Uuid;

use super::{SessionRecord, World};
use crate::model::{
    DirectoryUser, Group, ProcessedObject, ProtectedFilter, ProtectedKind, Site, Team, UserKind,
};

impl World {
    /// The objects a session processed, read from its log: one per `Processing ...` item.
    pub fn processed_objects(&self, record: &SessionRecord) -> Vec<ProcessedObject> {
        let organization_id = self
            .job(&record.session.job_id)
            .map(|job| job.organization_id);
        record
            .log
            .iter()
            .filter_map(|item| {
                let message = item.message().to_string();
                let rest = message.strip_prefix("Processing ")?;
                let (what, name) = rest.split_once(": ")?;
                // A failed item reads `Processing mailbox: x: what went wrong`.
                let name = name.split(": ").next().unwrap_or(name);
                let kind = match what {
                    "mailbox" | "OneDrive" => ProtectedKind::User,
                    "site" => ProtectedKind::Site,
                    "group" => ProtectedKind::Group,
                    "team" => ProtectedKind::Team,
                    _ => return None,
                };
                let known = organization_id.and_then(|organization| match kind {
                    ProtectedKind::User => self
                        .organization_users(organization)
                        .find(|user| user.name == name)
                        .map(|user| user.id),
                    ProtectedKind::Site => self
                        .organization_sites(organization)
                        .find(|site| site.url == name)
                        .map(|site| site.id),
                    ProtectedKind::Group => self
                        .organization_groups(organization)
                        .find(|group| group.name == name)
                        .map(|group| group.id),
                    ProtectedKind::Team => self
                        .organization_teams(organization)
                        .find(|team| team.display_name == name)
                        .map(|team| team.id),
                });
                Some(ProcessedObject {
                    id: known
                        .unwrap_or_else(|| Uuid::new_v5(&Uuid::NAMESPACE_URL, name.as_bytes())),
                    organization_id: known.and(organization_id),
                    kind,
                    status: item.severity(),
                })
            })
            .collect()
    }

    /// The organizations whose backups `filter` asks about: those with a restore point
    /// that the filter's organization, repository and restore point let through.
    fn protected_organizations(&self, filter: &ProtectedFilter) -> Vec<Uuid> {
        let mut organizations: Vec<Uuid> = self
            .restore_points()
            .filter(|point| {
                filter
                    .organization_id
                    .is_none_or(|id| point.job.organization_id == id)
                    && filter
                        .repository_id
                        .is_none_or(|id| point.job.repository_id == id)
                    && filter.restore_point_id.is_none_or(|id| point.id == id)
            })
            .map(|point| point.job.organization_id)
            .collect();
        organizations.sort_unstable();
        organizations.dedup();
        self.organizations
            .iter()
            .map(|organization| organization.id)
            .filter(|id| organizations.binary_search(id).is_ok())
            .collect()
    }

    /// Users whose mailbox a backup holds: licensed users and shared mailboxes.
    pub fn protected_users(&self, filter: &ProtectedFilter) -> Vec<&DirectoryUser> {
        self.protected_organizations(filter)
            .into_iter()
            .flat_map(|organization| {
                let licensed: Vec<&str> = self
                    .organization_licensed_users(organization)
                    .map(|user| user.name.as_str())
                    .collect();
                self.organization_users(organization)
                    .filter(move |user| {
                        user.kind == UserKind::Shared || licensed.contains(&user.name.as_str())
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    pub fn protected_groups(&self, filter: &ProtectedFilter) -> Vec<&Group> {
        self.protected_organizations(filter)
            .into_iter()
            .flat_map(|organization| self.organization_groups(organization))
            .collect()
    }

    pub fn protected_sites(&self, filter: &ProtectedFilter) -> Vec<&Site> {
        self.protected_organizations(filter)
            .into_iter()
            .flat_map(|organization| self.organization_sites(organization))
            .collect()
    }

    pub fn protected_teams(&self, filter: &ProtectedFilter) -> Vec<&Team> {
        self.protected_organizations(filter)
            .into_iter()
            .flat_map(|organization| self.organization_teams(organization))
            .collect()
    }
}
