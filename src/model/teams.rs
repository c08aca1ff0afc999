//! Backed-up Teams content as a pure function of the world's seed, the team and the point in
//! time: channels, their posts with replies, files and tabs are computed when asked for,
//! never stored, so a team with years of posts costs nothing until it is browsed.

use chrono::TimeDelta;
use uuid::Uuid;

use super::{DriveContent, DriveFolder, MailFolder, MailboxContent, Timestamp, mix};

/// The channels a team may have, in the order they are listed: every team has `General`
/// and a few of the others, picked by the team.
const CHANNEL_NAMES: [&str; 6] = [
    "General",
    "Announcements",
    "Projects",
    "Support",
    "Random",
    "Design",
];

/// The most channels besides `General` a team has.
const MORE_CHANNELS: u64 = 3;

/// A channel's threads are gathered at the rate of a mailbox folder's items: this one's.
const THREADS_AS_MAIL_FOLDER: usize = 1;

/// The most replies a thread gathers, and how long after the thread each follows.
const MAX_REPLIES: u64 = 3;
const REPLY_GAP: TimeDelta = TimeDelta::hours(3);

/// What a post says: searched by `body:`, never sent (the contract has no body).
const BODIES: [&str; 6] = [
    "Please review before Friday.",
    "Notes from today's meeting are attached.",
    "Thanks everyone for the quick turnaround.",
    "Can someone take this one?",
    "Moving the deadline by a week.",
    "Shared the draft in the Files tab.",
];

/// The folders of a channel's files, in the order they are listed: name (`None`: the
/// channel's own folder) and the OneDrive folder whose rate of documents it gathers at.
const FILE_PLACES: [(Option<&str>, usize); 3] = [
    (None, 0),
    (Some("Meeting notes"), 4),
    (Some("Recordings"), 2),
];

/// A folder's number among a place's entries: folders are not numbered with its files.
const FOLDER: u64 = (1 << 56) - 1;

/// The tabs a channel may have: display name, the app's type, and the address it opens.
const TABS: [(&str, &str, &str); 5] = [
    ("Wiki", "com.microsoft.teamspace.tab.wiki", "wiki"),
    ("Notes", "com.microsoft.teamspace.tab.onenote", "onenote"),
    ("Planner", "com.microsoft.teamspace.tab.planner", "planner"),
    ("Website", "com.microsoft.teamspace.tab.web", "web"),
    ("Power BI", "com.microsoft.teamspace.tab.powerbi", "powerbi"),
];

/// A channel of a backed-up team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Channel {
    pub team_id: Uuid,
    /// Its place among the team's channels; 0 is `General`.
    pub index: usize,
    /// Its name's place in [`CHANNEL_NAMES`].
    name: usize,
}

impl Channel {
    pub fn name(&self) -> &'static str {
        CHANNEL_NAMES[self.name]
    }

    /// A hash of the team and the channel that the ids of its files and tabs start with.
    fn tag(&self) -> u64 {
        mix(self.team_id.as_u128() as u64 ^ mix((self.team_id.as_u128() >> 64) as u64))
            ^ mix(self.index as u64 + 1)
    }

    /// The channel's id, in the form Teams gives: `19:<hex>@thread.tacv2`.
    pub fn id(&self) -> String {
        format!("19:{:016x}{:02x}@thread.tacv2", self.tag(), self.index)
    }

    /// The id the mail and document rules the channel's posts and files follow take for a
    /// mailbox's or a OneDrive's: a hash of the channel, so each channel's content differs.
    fn content_id(&self) -> Uuid {
        Uuid::from_u64_pair(self.tag(), self.index as u64)
    }
}

/// How a team's backed-up content is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TeamContent {
    pub team_id: Uuid,
    /// The world's seed, so two worlds differ.
    pub seed: u64,
    /// When the channels were made and began gathering posts and files.
    pub since: Timestamp,
}

/// A post of a channel: a thread's first post, or one of its replies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub channel: Channel,
    /// The thread's place in its channel, oldest first.
    pub thread: u64,
    /// 0: the thread's first post; from 1 the replies, oldest first.
    pub reply: u64,
    pub subject: String,
    pub author: String,
    pub body: &'static str,
    pub created: Timestamp,
    pub last_modified: Timestamp,
    pub is_important: bool,
    /// Name and size of each attached file.
    pub attachments: Vec<(String, u64)>,
}

impl Post {
    /// The post's number: its channel, thread and reply, so that it can be read back.
    pub fn id(&self) -> i64 {
        post_id(self.channel, self.thread, self.reply)
    }

    /// The thread's first post a reply answers; none for a first post.
    pub fn parent_id(&self) -> Option<i64> {
        (self.reply > 0).then(|| post_id(self.channel, self.thread, 0))
    }
}

fn post_id(channel: Channel, thread: u64, reply: u64) -> i64 {
    let id = ((channel.index as u64 + 1) << 44) | (thread << 3) | reply;
    i64::try_from(id).unwrap_or(i64::MAX)
}

/// A file or folder of a channel, as one of its versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelFile {
    pub channel: Channel,
    /// Its folder's place in [`FILE_PLACES`]: a folder's own, a file's where it is.
    pub place: usize,
    /// A file's place in its folder, oldest first; [`FOLDER`] for a folder.
    pub number: u64,
    pub name: String,
    pub version: u64,
    pub versions: u64,
    pub modified: Timestamp,
    pub modified_by: String,
    pub size_bytes: u64,
}

impl ChannelFile {
    pub fn id(&self) -> Uuid {
        Uuid::from_u64_pair(
            self.channel.tag(),
            ((self.place as u64) << 56) | self.number,
        )
    }

    pub fn is_folder(&self) -> bool {
        self.number == FOLDER
    }

    /// The folder it is in; none for what lies in the channel's own folder.
    pub fn parent(&self) -> Option<Uuid> {
        (self.place > 0 && !self.is_folder())
            .then(|| Uuid::from_u64_pair(self.channel.tag(), ((self.place as u64) << 56) | FOLDER))
    }
}

/// A tab of a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tab {
    pub channel: Channel,
    /// Its place in [`TABS`].
    pub index: usize,
    pub content_url: String,
}

impl Tab {
    pub fn id(&self) -> Uuid {
        Uuid::from_u64_pair(!self.channel.tag(), self.index as u64)
    }

    pub fn display_name(&self) -> &'static str {
        TABS[self.index].0
    }

    pub fn kind(&self) -> &'static str {
        TABS[self.index].1
    }
}

/// An export of a channel's posts a restore operator started: the channel and the posts it
/// holds (none: every post of the channel), ready when its session's event of the same id
/// has ended on the clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostExport {
    pub id: Uuid,
    pub session_id: Uuid,
    pub team_id: Uuid,
    pub channel_id: String,
    pub posts: Option<Vec<i64>>,
}

/// An item of a channel, as a Teams search finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelItem {
    File(ChannelFile),
    Post(Post),
    Tab(Tab),
}

/// Where a channel's files are listed: its own folder or one under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilePlace {
    pub channel: Channel,
    /// Its place in [`FILE_PLACES`].
    pub index: usize,
}

impl TeamContent {
    fn hash(&self) -> u64 {
        mix(self.seed ^ mix(self.team_id.as_u128() as u64))
    }

    /// The team's channels: `General` first, then up to [`MORE_CHANNELS`] others.
    pub fn channels(&self) -> impl Iterator<Item = Channel> + use<> {
        let hash = self.hash();
        let team_id = self.team_id;
        let more = CHANNEL_NAMES.len() - 1;
        let count = 1 + (hash % (MORE_CHANNELS + 1)) as usize;
        let first = (hash >> 8) as usize % more;
        (0..count).map(move |index| Channel {
            team_id,
            index,
            name: if index == 0 {
                0
            } else {
                1 + (first + index - 1) % more
            },
        })
    }

    /// The channel an id names in the team.
    pub fn channel(&self, id: &str) -> Option<Channel> {
        self.channels().find(|channel| channel.id() == id)
    }

    /// The channel whose tag a file or tab id starts with.
    fn channel_tagged(&self, tag: u64) -> Option<Channel> {
        self.channels().find(|channel| channel.tag() == tag)
    }

    fn threads(&self, channel: Channel) -> (MailboxContent, MailFolder) {
        let mailbox_id = channel.content_id();
        let content = MailboxContent {
            mailbox_id,
            seed: self.seed,
            since: self.since,
            scale: 1,
        };
        let folder = MailFolder::parse_index(mailbox_id, THREADS_AS_MAIL_FOLDER)
            .expect("the threads' folder is a mailbox folder");
        (content, folder)
    }

    /// How many threads the channel held at `at`.
    pub fn thread_count(&self, channel: Channel, at: &Timestamp) -> u64 {
        let (content, folder) = self.threads(channel);
        content.count(folder, at)
    }

    /// How many replies thread `thread` of the channel had at `at`.
    pub fn reply_count(&self, channel: Channel, thread: u64, at: &Timestamp) -> u64 {
        let first = self.post(channel, thread, 0, &[]);
        let most = mix(self.hash() ^ first.id().unsigned_abs()) % (MAX_REPLIES + 1);
        (1..=most)
            .take_while(|reply| first.created + REPLY_GAP * *reply as i32 <= *at)
            .count() as u64
    }

    /// Post `reply` of thread `thread` of the channel (0: the thread's first), whether or
    /// not it had been written yet. A thread is a mail item of the channel's content: its
    /// subject, sender, time and attachments; its replies follow it by [`REPLY_GAP`].
    pub fn post(&self, channel: Channel, thread: u64, reply: u64, people: &[&str]) -> Post {
        let (content, folder) = self.threads(channel);
        let item = content.item(folder, thread, people);
        let hash = mix(self.hash() ^ mix(post_id(channel, thread, reply).unsigned_abs()));
        let created = item.arrived + REPLY_GAP * reply as i32;
        let edited = hash.is_multiple_of(5);
        Post {
            channel,
            thread,
            reply,
            subject: if reply == 0 {
                item.subject
            } else {
                format!("RE: {}", item.subject)
            },
            author: if reply == 0 {
                item.from
            } else {
                super::onedrive::pick(people, hash)
            },
            body: BODIES[((hash >> 8) % BODIES.len() as u64) as usize],
            created,
            last_modified: if edited {
                created + TimeDelta::minutes(10)
            } else {
                created
            },
            is_important: reply == 0 && (hash >> 16).is_multiple_of(6),
            attachments: if reply == 0 {
                item.attachments
            } else {
                Vec::new()
            },
        }
    }

    /// The post an id names, if it is of this team and had been written at `at`.
    pub fn find_post(&self, id: i64, at: &Timestamp, people: &[&str]) -> Option<Post> {
        let id = u64::try_from(id).ok()?;
        let index = usize::try_from((id >> 44).checked_sub(1)?).ok()?;
        let channel = self.channels().nth(index)?;
        let (thread, reply) = ((id & ((1 << 44) - 1)) >> 3, id & 7);
        let exists = thread < self.thread_count(channel, at)
            && (reply == 0 || reply <= self.reply_count(channel, thread, at));
        exists.then(|| self.post(channel, thread, reply, people))
    }

    /// The places of a channel's files: its own folder, then the folders under it.
    pub fn places(&self, channel: Channel) -> impl Iterator<Item = FilePlace> + use<> {
        (0..FILE_PLACES.len()).map(move |index| FilePlace { channel, index })
    }

    /// The documents of a place are a OneDrive folder's, of a OneDrive the channel stands
    /// for: counted, named and versioned as a OneDrive's are.
    fn documents(&self, place: FilePlace) -> (DriveContent, DriveFolder) {
        let onedrive_id = place.channel.content_id();
        let content = DriveContent {
            onedrive_id,
            seed: self.seed,
            since: self.since,
            scale: 1,
        };
        let folder = DriveFolder::parse_index(onedrive_id, FILE_PLACES[place.index].1)
            .expect("a place's rate is a OneDrive folder's");
        (content, folder)
    }

    /// How many files a place held at `at`.
    pub fn file_count(&self, place: FilePlace, at: &Timestamp) -> u64 {
        let (content, folder) = self.documents(place);
        content.count(folder, at)
    }

    /// File `number` of a place as its newest version at `at`.
    pub fn file(
        &self,
        place: FilePlace,
        number: u64,
        at: &Timestamp,
        people: &[&str],
    ) -> ChannelFile {
        let (content, folder) = self.documents(place);
        let document = content.document(folder, number, at, people);
        ChannelFile {
            channel: place.channel,
            place: place.index,
            number,
            name: document.name,
            version: document.version,
            versions: document.versions,
            modified: document.modified,
            modified_by: document.modified_by,
            size_bytes: document.size_bytes,
        }
    }

    /// A file as its version `version`, if it has one of that number; a folder has one.
    pub fn file_version(
        &self,
        file: &ChannelFile,
        version: u64,
        people: &[&str],
    ) -> Option<ChannelFile> {
        if file.is_folder() {
            return (version == 1).then(|| file.clone());
        }
        let place = FilePlace {
            channel: file.channel,
            index: file.place,
        };
        let (content, folder) = self.documents(place);
        // As of its newest version's time, the document has exactly the file's versions.
        let document = content.document(folder, file.number, &file.modified, people);
        let earlier = document.at_version(version, &content, people)?;
        Some(ChannelFile {
            version,
            modified: earlier.modified,
            modified_by: earlier.modified_by,
            size_bytes: earlier.size_bytes,
            ..file.clone()
        })
    }

    /// The folders under a channel's own folder, as files of the kind `Folder`: made with the
    /// channel, by whoever made the team.
    pub fn folder(&self, place: FilePlace, people: &[&str]) -> Option<ChannelFile> {
        let name = FILE_PLACES[place.index].0?;
        Some(ChannelFile {
            channel: place.channel,
            place: place.index,
            number: FOLDER,
            name: name.to_owned(),
            version: 1,
            versions: 1,
            modified: self.since,
            modified_by: super::onedrive::pick(people, self.hash()),
            size_bytes: 0,
        })
    }

    /// The file or folder an id names, if it is of this team and had been made at `at`.
    pub fn find_file(&self, id: Uuid, at: &Timestamp, people: &[&str]) -> Option<ChannelFile> {
        let (tag, rest) = id.as_u64_pair();
        let channel = self.channel_tagged(tag)?;
        let index = usize::try_from(rest >> 56).ok()?;
        let place = self.places(channel).nth(index)?;
        let number = rest & FOLDER;
        if number == FOLDER {
            return self.folder(place, people);
        }
        (number < self.file_count(place, at)).then(|| self.file(place, number, at, people))
    }

    /// The tabs of a channel: `General` has the wiki and a few others, every other channel
    /// one or two, picked by the channel.
    pub fn tabs(&self, channel: Channel) -> impl Iterator<Item = Tab> + use<> {
        let hash = mix(self.hash() ^ channel.tag());
        let count = 1 + (hash % 3) as usize;
        let first = if channel.index == 0 {
            0
        } else {
            1 + (hash >> 8) as usize % (TABS.len() - 1)
        };
        let channel_id = channel.id();
        (0..count).map(move |nth| {
            let index = if first == 0 {
                nth
            } else {
                1 + (first - 1 + nth) % (TABS.len() - 1)
            };
            Tab {
                channel,
                index,
                content_url: format!(
                    "https://teams.microsoft.com/l/{}/{channel_id}?tab={nth}",
                    TABS[index].2
                ),
            }
        })
    }

    /// The tab an id names, if it is of this team.
    pub fn find_tab(&self, id: Uuid) -> Option<Tab> {
        let (tag, index) = id.as_u64_pair();
        let channel = self.channel_tagged(!tag)?;
        self.tabs(channel).find(|tab| tab.index as u64 == index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content() -> TeamContent {
        TeamContent {
            team_id: Uuid::from_u128(42),
            seed: 7,
            since: chrono::DateTime::parse_from_rfc3339("2017-01-01T00:00:00Z").unwrap(),
        }
    }

    fn at(text: &str) -> Timestamp {
        chrono::DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn every_team_has_general_first_and_ids_read_back() {
        let content = content();
        let channels: Vec<Channel> = content.channels().collect();
        assert_eq!(channels[0].name(), "General");
        assert!(channels.len() <= 1 + MORE_CHANNELS as usize);
        for channel in &channels {
            assert_eq!(content.channel(&channel.id()), Some(*channel));
            for tab in content.tabs(*channel) {
                assert_eq!(content.find_tab(tab.id()), Some(tab));
            }
        }
        let later = at("2018-01-01T00:00:00Z");
        let people = ["a@x", "b@x"];
        let post = content.post(channels[0], 5, 0, &people);
        assert_eq!(content.find_post(post.id(), &later, &people), Some(post));
        let place = content.places(channels[0]).nth(1).unwrap();
        let file = content.file(place, 3, &later, &people);
        assert_eq!(
            content.find_file(file.id(), &later, &people),
            Some(file.clone())
        );
        assert_eq!(
            file.parent(),
            content.folder(place, &people).map(|folder| folder.id())
        );
        assert_eq!(content.find_post(-1, &later, &people), None);
        assert_eq!(content.find_file(Uuid::nil(), &later, &people), None);
    }

    #[test]
    fn nothing_is_newer_than_the_point_in_time() {
        let content = content();
        let general = content.channels().next().unwrap();
        let early = at("2017-01-03T00:00:00Z");
        let late = at("2017-06-01T00:00:00Z");
        let threads = content.thread_count(general, &early);
        assert!(threads > 0 && threads < content.thread_count(general, &late));
        let newest = content.post(general, threads - 1, 0, &[]);
        assert!(newest.created <= early);
        assert!(content.post(general, threads, 0, &[]).created > early);
        assert_eq!(
            content.find_post(post_id(general, threads, 0), &early, &[]),
            None
        );
        for thread in 0..threads {
            for reply in 1..=content.reply_count(general, thread, &early) {
                assert!(content.post(general, thread, reply, &[]).created <= early);
            }
        }
    }

    #[test]
    fn the_same_inputs_give_the_same_content_and_a_far_post_costs_one_computation() {
        let (one, two) = (content(), content());
        let channel = one.channels().last().unwrap();
        let far = at("2030-01-01T00:00:00Z");
        let last = one.thread_count(channel, &far) - 1;
        assert_eq!(
            one.post(channel, last, 0, &[]),
            two.post(channel, last, 0, &[])
        );
        let other = TeamContent { seed: 8, ..one };
        let subjects = |content: &TeamContent| -> Vec<String> {
            (0..20)
                .map(|thread| content.post(channel, thread, 0, &[]).subject)
                .collect()
        };
        assert_ne!(subjects(&one), subjects(&other));
    }
}
