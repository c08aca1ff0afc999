//! The in-memory world: organizations, jobs and sessions with their log items, behind one lock.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

use uuid::Uuid;

use crate::model::{Job, JobSession, LogItem, Organization};

/// A session together with its log, kept in usn order so that a page is a slice.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub session: JobSession,
    pub log: Vec<LogItem>,
}

/// Everything the API serves, as plain data.
#[derive(Debug, Clone, Default)]
pub struct World {
    pub organizations: Vec<Organization>,
    pub jobs: Vec<Job>,
    sessions: Vec<SessionRecord>,
    session_index: HashMap<Uuid, usize>,
}

impl World {
    /// Adds a session with its log; the log is sorted by usn so that readers can slice it.
    pub fn add_session(&mut self, session: JobSession, mut log: Vec<LogItem>) {
        log.sort_by_key(|item| item.usn);
        self.session_index.insert(session.id, self.sessions.len());
        self.sessions.push(SessionRecord { session, log });
    }

    pub fn session(&self, id: &Uuid) -> Option<&SessionRecord> {
        self.session_index
            .get(id)
            .map(|&index| &self.sessions[index])
    }
}

/// The shared world. A std `RwLock` rather than an async one: every access is a short
/// synchronous read or write that never spans an `.await`, so readers never wait on I/O
/// and many requests read in parallel.
#[derive(Debug, Default)]
pub struct Store {
    world: RwLock<World>,
}

impl Store {
    pub fn new(world: World) -> Self {
        Self {
            world: RwLock::new(world),
        }
    }

    /// Runs `read` with shared access to the world.
    pub fn read<R>(&self, read: impl FnOnce(&World) -> R) -> R {
        let world = self.world.read().unwrap_or_else(PoisonError::into_inner);
        read(&world)
    }
}
