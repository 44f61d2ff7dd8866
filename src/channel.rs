//! Channels: how a kind of contact reaches an agent and what it takes of
//! the agent's capacity.
//!
//! - `voice`: one call takes the whole agent; callers wait and abandon.
//! - `chat`: an agent holds up to `concurrency` chats at once; customers
//!   wait and abandon like callers; an agent holding a chat takes no call.
//! - `email` and `case`: deferred work, one item takes the whole agent,
//!   nobody abandons, the backlog carries over; answered after live
//!   contacts of the same priority.

/// A queue's channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// Phone calls.
    Voice,
    /// Chats, several at once per agent.
    Chat,
    /// Emails: deferred work.
    Email,
    /// Cases (tickets, back-office work): deferred work.
    Case,
}

impl Channel {
    /// Every channel, in the order scenario files list them.
    pub const ALL: [Channel; 4] = [Channel::Voice, Channel::Chat, Channel::Email, Channel::Case];

    /// The name used in scenario files and reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Voice => "voice",
            Self::Chat => "chat",
            Self::Email => "email",
            Self::Case => "case",
        }
    }

    /// The channel a scenario names, if any.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Whether customers wait on the line (voice, chat), as opposed to
    /// deferred work that waits in a backlog (email, case).
    pub fn is_live(self) -> bool {
        matches!(self, Self::Voice | Self::Chat)
    }

    /// Whether one agent may hold several contacts of this channel at once.
    pub fn is_concurrent(self) -> bool {
        self == Self::Chat
    }
}
