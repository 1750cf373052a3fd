//! Session event types (what happened in a session's history).

use super::open_enum::open_enum;

open_enum! {
    /// The type of a session event.
    ///
    /// Values are the server's documented session event numbers. The RESTful API sends numbers
    /// (`70`); filters and triggers use names (`'RanCommand'`); both are read. Newer servers add
    /// values, which arrive as `Other(n)` rather than failing the whole response.
    pub enum EventType {
        /// No event (0).
        None = 0,
        /// A participant connected (10).
        Connected = 10,
        /// A participant disconnected (11).
        Disconnected = 11,
        /// The session was created (20).
        CreatedSession = 20,
        /// The session was ended (21).
        EndedSession = 21,
        /// A host started joining (30).
        InitiatedJoin = 30,
        /// A guest was invited (31).
        InvitedGuest = 31,
        /// A note was added; `Data` holds the note text (32).
        AddedNote = 32,
        /// An agent reinstall was queued (40).
        QueuedReinstall = 40,
        /// An agent uninstall was queued (41).
        QueuedUninstall = 41,
        /// A licence invalidation was queued (42).
        QueuedInvalidateLicense = 42,
        /// A wake-up was queued (43).
        QueuedWake = 43,
        /// A command was queued; `Data` holds the command text (44).
        QueuedCommand = 44,
        /// A technician chat message was queued; `Data` holds the text (45).
        QueuedMessage = 45,
        /// A guest-info refresh was queued (46).
        QueuedGuestInfoUpdate = 46,
        /// A toolbox item was queued (47).
        QueuedTool = 47,
        /// A forced disconnect was queued (48).
        QueuedForceDisconnect = 48,
        /// The agent processed a queued reinstall (50).
        ProcessedReinstall = 50,
        /// The agent processed a queued uninstall (51).
        ProcessedUninstall = 51,
        /// The agent processed a queued licence invalidation (52).
        ProcessedInvalidateLicense = 52,
        /// The agent processed a queued wake-up (53).
        ProcessedWake = 53,
        /// The agent picked up a queued command (54).
        ProcessedCommand = 54,
        /// The agent processed a queued chat message (55).
        ProcessedMessage = 55,
        /// The agent processed a queued guest-info refresh (56).
        ProcessedGuestInfoUpdate = 56,
        /// The agent processed a queued toolbox item (57).
        ProcessedTool = 57,
        /// The agent processed a queued forced disconnect (58).
        ProcessedForceDisconnect = 58,
        /// The session name changed (60).
        ModifiedName = 60,
        /// The session's public flag changed (61).
        ModifiedIsPublic = 61,
        /// The session's join code changed (62).
        ModifiedCode = 62,
        /// The session's host changed (63).
        ModifiedHost = 63,
        /// A custom property changed (64).
        ModifiedCustomProperty = 64,
        /// A command finished; `Data` holds its (possibly killed or truncated) output (70).
        RanCommand = 70,
        /// The guest sent a chat message; `Data` holds the text (71).
        SentMessage = 71,
        /// A print job was sent (80).
        SentPrintJob = 80,
        /// A print job was received (81).
        ReceivedPrintJob = 81,
        /// Text was copied across the connection (82).
        CopiedText = 82,
        /// Files were copied across the connection (83).
        CopiedFiles = 83,
        /// Files were dragged across the connection (84).
        DraggedFiles = 84,
        /// Files were run on the guest (85).
        RanFiles = 85,
        /// Files were sent to the guest (86).
        SentFiles = 86,
    }
}

#[cfg(test)]
mod tests {
    use super::EventType;

    #[test]
    fn reads_number_or_name_and_keeps_unknowns() {
        let parsed: Vec<EventType> =
            serde_json::from_str(r#"[70, "RanCommand", "queuedcommand", 44, 999, "FutureThing"]"#)
                .unwrap();
        assert_eq!(
            parsed,
            vec![
                EventType::RanCommand,
                EventType::RanCommand,
                EventType::QueuedCommand,
                EventType::QueuedCommand,
                EventType::Other(999),
                EventType::OtherName("FutureThing".to_owned()),
            ]
        );
    }

    #[test]
    fn round_trips_codes() {
        for code in [0, 10, 11, 20, 32, 44, 45, 47, 54, 64, 70, 71, 86] {
            let ty = EventType::from_code(code);
            assert!(!matches!(ty, EventType::Other(_)), "{code} should be known");
            assert_eq!(ty.code(), Some(code));
            assert_eq!(EventType::from_name(ty.name().unwrap()), ty);
        }
    }
}
