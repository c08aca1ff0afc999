//! What a Teams restore session shows of a team: its channels, posts, files and tabs as the
//! backups at the session's point in time hold them, computed from the seed when asked for.

use std::rc::Rc;

use uuid::Uuid;

use super::mail::{page_of_folders, restore_duration};
use super::{JobEditError, World};
use crate::model::{
    Channel, ChannelFile, FilePlace, Id, Post, PostExport, RestoreAction, RestoreEvent,
    RestoreOutcome, RestoreResult, RestoreSession, Tab, Team, TeamContent, Timestamp,
};

/// A team as a restore session sees it at its point in time.
pub struct SessionTeam<'w> {
    pub team: &'w Team,
    pub content: TeamContent,
    at: Timestamp,
    people: Rc<[&'w str]>,
}

impl SessionTeam<'_> {
    pub fn channels(&self) -> Vec<Channel> {
        self.content.channels().collect()
    }

    pub fn channel(&self, id: &str) -> Option<Channel> {
        self.content.channel(id)
    }

    /// A page of the channels' threads (their first posts), channel after channel, and how
    /// many they hold in all: only the page is computed.
    pub fn threads(&self, channels: &[Channel], (offset, limit): (u64, usize)) -> (u64, Vec<Post>) {
        page_of_folders(
            channels,
            |channel| self.content.thread_count(channel, &self.at),
            |channel, thread| Some(self.content.post(channel, thread, 0, &self.people)),
            (offset, limit),
        )
    }

    /// The replies to a thread's first post, oldest first.
    pub fn replies(&self, first: &Post) -> Vec<Post> {
        let count = self
            .content
            .reply_count(first.channel, first.thread, &self.at);
        (1..=count)
            .map(|reply| {
                self.content
                    .post(first.channel, first.thread, reply, &self.people)
            })
            .collect()
    }

    /// Every post of a channel, each thread's first post followed by its replies, made one
    /// at a time as a search walks them.
    pub fn posts(&self, channel: Channel) -> impl Iterator<Item = Post> + '_ {
        (0..self.content.thread_count(channel, &self.at)).flat_map(move |thread| {
            let replies = self.content.reply_count(channel, thread, &self.at);
            (0..=replies).map(move |reply| self.content.post(channel, thread, reply, &self.people))
        })
    }

    pub fn post(&self, id: i64) -> Option<Post> {
        self.content.find_post(id, &self.at, &self.people)
    }

    /// What a place lists: the channel's own folder its subfolders first, then its files;
    /// `folders_only` the subfolders alone.
    fn listed_count(&self, place: FilePlace, folders_only: bool) -> u64 {
        let folders = self.subfolders(place).count() as u64;
        if folders_only {
            folders
        } else {
            folders + self.content.file_count(place, &self.at)
        }
    }

    fn listed_at(&self, place: FilePlace, position: u64) -> Option<ChannelFile> {
        let folders: Vec<FilePlace> = self.subfolders(place).collect();
        match usize::try_from(position)
            .ok()
            .and_then(|nth| folders.get(nth))
        {
            Some(folder) => self.content.folder(*folder, &self.people),
            None => Some(self.content.file(
                place,
                position - folders.len() as u64,
                &self.at,
                &self.people,
            )),
        }
    }

    /// The folders directly in a place: those under the channel's own folder.
    fn subfolders(&self, place: FilePlace) -> impl Iterator<Item = FilePlace> + use<> {
        let channel = place.channel;
        self.content
            .places(channel)
            .filter(move |sub| place.index == 0 && sub.index > 0)
    }

    /// The place a folder's id names, if it is one of the team's folders.
    pub fn place_of(&self, folder: &ChannelFile) -> Option<FilePlace> {
        if !folder.is_folder() {
            return None;
        }
        self.content.places(folder.channel).nth(folder.place)
    }

    /// The channel's own folder.
    pub fn root(&self, channel: Channel) -> FilePlace {
        FilePlace { channel, index: 0 }
    }

    /// Every place of a channel, its own folder first.
    pub fn places(&self, channel: Channel) -> impl Iterator<Item = FilePlace> + use<> {
        self.content.places(channel)
    }

    /// A page of what the places list, place after place, and how many they list in all.
    pub fn files(
        &self,
        places: &[FilePlace],
        folders_only: bool,
        (offset, limit): (u64, usize),
    ) -> (u64, Vec<ChannelFile>) {
        page_of_folders(
            places,
            |place| self.listed_count(place, folders_only),
            |place, position| self.listed_at(place, position),
            (offset, limit),
        )
    }

    /// Everything a place lists, made one at a time as a search walks it.
    pub fn listed(&self, place: FilePlace) -> impl Iterator<Item = ChannelFile> + '_ {
        (0..self.listed_count(place, false))
            .filter_map(move |position| self.listed_at(place, position))
    }

    pub fn file(&self, id: Uuid) -> Option<ChannelFile> {
        self.content.find_file(id, &self.at, &self.people)
    }

    /// The versions of a file, oldest first.
    pub fn versions(&self, file: &ChannelFile) -> Vec<ChannelFile> {
        (1..=file.versions)
            .filter_map(|version| self.content.file_version(file, version, &self.people))
            .collect()
    }

    pub fn tabs(&self, channel: Channel) -> Vec<Tab> {
        self.content.tabs(channel).collect()
    }

    pub fn tab(&self, id: Uuid) -> Option<Tab> {
        self.content.find_tab(id)
    }
}

impl World {
    /// The teams a restore session shows: the organization's teams, as the backup at the
    /// session's point in time holds them, those of an operator's scope alone.
    pub fn session_teams(&self, session: &RestoreSession) -> Vec<SessionTeam<'_>> {
        let (Some(seen), Some(since)) = (
            session.explored,
            self.content_since(session.organization_id),
        ) else {
            return Vec::new();
        };
        let people = self.authors(session.organization_id);
        self.organization_teams(session.organization_id)
            .filter(|team| session.shows(team.id))
            .map(|team| SessionTeam {
                team,
                content: TeamContent {
                    team_id: team.id,
                    seed: self.seed,
                    since,
                },
                at: seen.point_in_time,
                people: Rc::clone(&people),
            })
            .collect()
    }

    /// Whether `session` is a restore operator's and the team `id` of its organization is
    /// outside what the operator may restore.
    pub fn team_withheld_from_operator(&self, session: &RestoreSession, id: Uuid) -> bool {
        session.restricted_to.is_some()
            && self
                .organization_teams(session.organization_id)
                .any(|team| team.id == id && !session.shows(team.id))
    }

    /// Restores a team's posts or files to where they came from: every item is still in
    /// the live channel, as the backups only ever gather, so each is skipped unchanged and
    /// nothing is written. The session gains an event that runs on the clock, failing or
    /// warning as a scenario says; `what` names the items for the event, `place` the team
    /// and channel.
    pub fn restore_team_items(
        &mut self,
        session_id: Uuid,
        what: (&str, &str, u64),
        (place, total): (&str, u64),
        reason: Option<String>,
        now: Timestamp,
    ) -> Result<RestoreOutcome, JobEditError> {
        let session = self.find(&Id::<RestoreSession>::new(session_id))?;
        let trouble = self.restore_trouble(&session.organization_id);
        self.record_running_restore(
            session_id,
            what,
            (place.to_owned(), place.to_owned()),
            (RestoreOutcome::unchanged(total), trouble),
            reason,
            (now, now + restore_duration(total)),
        )
    }

    /// Starts an export of posts (`export`'s id is made here) as an event of its session
    /// that runs on the clock as a restore of as many items would; the file is ready when
    /// the event ends. Answers the export's id.
    pub fn start_post_export(
        &mut self,
        export: PostExport,
        (item_name, total): (&str, u64),
        place: &str,
        now: Timestamp,
    ) -> Result<Uuid, JobEditError> {
        let id = self.next_id();
        let event = RestoreEvent {
            id,
            action: RestoreAction::Export,
            result: RestoreResult::Success,
            item_name: item_name.to_owned(),
            item_type: "Posts".to_owned(),
            item_size_bytes: 0,
            source: place.to_owned(),
            target: String::new(),
            start_time: now,
            end_time: now + restore_duration(total),
            message: format!("{total} item(s) exported"),
            running: true,
        };
        self.restore_session_mut(export.session_id)?
            .events
            .push(event);
        self.post_exports.push(PostExport { id, ..export });
        Ok(id)
    }

    /// The export of posts `id` started in a session's team, and whether it still runs.
    pub fn post_export(
        &self,
        session_id: Uuid,
        team_id: Uuid,
        id: Uuid,
    ) -> Option<(&PostExport, bool)> {
        let export = self.post_exports.iter().find(|export| {
            export.id == id && export.session_id == session_id && export.team_id == team_id
        })?;
        let running = self
            .restore_sessions
            .iter()
            .find(|session| session.id == session_id)?
            .events
            .iter()
            .find(|event| event.id == id)?
            .running;
        Some((export, running))
    }
}
