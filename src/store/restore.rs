//! Restore: the restore points the world's sessions left, restore sessions opened on them
//! by an explore.

use uuid::{Uuid, uuid};

use super::{JobEditError, World};
use crate::model::{
    DirectoryUser, Exploration, Explore, Id, Organization, RestoreKind, RestorePointView,
    RestoreResult, RestoreScope, RestoreSession, SessionStatus, Timestamp,
};

/// The namespace restore point ids are made in from their sessions' ids.
const RESTORE_POINTS: Uuid = uuid!("0c6f1a2e-8d3b-4e5f-9a7c-1b2d3e4f5a6b");

impl World {
    /// Every restore point, oldest first: one per session that ended Success or Warning.
    pub fn restore_points(&self) -> impl Iterator<Item = RestorePointView<'_>> {
        self.sessions_oldest_first().filter_map(|record| {
            let session = &record.session;
            let backed_up = matches!(
                session.status,
                SessionStatus::Success | SessionStatus::Warning
            );
            let backup_time = session.end_time.filter(|_| backed_up)?;
            let job = self.job(&session.job_id)?;
            Some(RestorePointView {
                id: Uuid::new_v5(&RESTORE_POINTS, session.id.as_bytes()),
                session,
                job,
                backup_time,
            })
        })
    }

    /// The restore points a scope of an organization covers, oldest first.
    pub fn restore_points_in(
        &self,
        organization_id: Uuid,
        scope: RestoreScope,
    ) -> impl Iterator<Item = RestorePointView<'_>> {
        self.restore_points().filter(move |point| {
            point.job.organization_id == organization_id
                && match scope {
                    RestoreScope::Organization => true,
                    RestoreScope::Job(id) => point.job.id == id,
                    RestoreScope::Repository(id) => point.job.repository_id == id,
                }
        })
    }

    /// Opens a restore session with id `id` on the backups an explore asks for, as they
    /// were at its point in time (the newest restore point when it names none). There
    /// must be a restore point at or before that time.
    pub fn explore(
        &mut self,
        id: Uuid,
        explore: Explore,
        now: Timestamp,
        initiated_by: &str,
    ) -> Result<&RestoreSession, JobEditError> {
        let Explore {
            organization_id,
            scope,
            kind,
            point_in_time,
        } = explore;
        let organization = self.find(&Id::<Organization>::new(organization_id))?;
        let newest = self
            .restore_points_in(organization_id, scope)
            .filter(|point| point_in_time.is_none_or(|at| point.backup_time <= at))
            .map(|point| point.backup_time)
            .max()
            .ok_or_else(|| {
                JobEditError::Invalid(format!(
                    "No restore point of organization '{}' was created before the time asked for.",
                    organization.name
                ))
            })?;
        let explorer = match kind {
            RestoreKind::Vex => "Exchange",
            RestoreKind::Veod => "OneDrive",
            RestoreKind::Vesp => "SharePoint",
            RestoreKind::Vet => "Teams",
        };
        let session = RestoreSession {
            id,
            name: format!("{explorer} restore session of {}", organization.name),
            organization_id,
            kind,
            creation_time: now,
            end_time: None,
            result: RestoreResult::Success,
            initiated_by: initiated_by.to_owned(),
            details: String::new(),
            events: Vec::new(),
            explored: Some(Exploration {
                scope,
                point_in_time: point_in_time.unwrap_or(newest),
            }),
            restricted_to: None,
            reason: String::new(),
        };
        self.restore_sessions.push(session);
        Ok(self
            .restore_sessions
            .last()
            .expect("the session was just pushed"))
    }

    /// Opens a restore operator's session, as `explore` does, that shows only `allowed`:
    /// the users, sites and teams their roles let them restore; `reason` is theirs.
    pub fn operator_explore(
        &mut self,
        id: Uuid,
        explore: Explore,
        now: Timestamp,
        (operator, reason): (&str, String),
        allowed: Vec<Uuid>,
    ) -> Result<&RestoreSession, JobEditError> {
        self.explore(id, explore, now, operator)?;
        let session = self
            .restore_sessions
            .last_mut()
            .expect("the explore just opened the session");
        session.restricted_to = Some(allowed);
        session.reason = reason;
        Ok(session)
    }

    /// Whether `session` is a restore operator's and a user of its organization that
    /// `names` picks is outside what the operator may restore.
    pub fn withheld_from_operator(
        &self,
        session: &RestoreSession,
        names: impl Fn(&DirectoryUser) -> bool,
    ) -> bool {
        session.restricted_to.is_some()
            && self
                .organization_users(session.organization_id)
                .any(|user| names(user) && !session.shows(user.id))
    }

    /// Stops a restore session at `now`; a stopped one stays as it was.
    pub fn stop_restore_session(&mut self, id: Uuid, now: Timestamp) -> Result<(), JobEditError> {
        self.find(&Id::<RestoreSession>::new(id))?;
        if let Some(session) = self
            .restore_sessions
            .iter_mut()
            .find(|session| session.id == id && session.end_time.is_none())
        {
            session.end_time = Some(now);
        }
        Ok(())
    }
}
