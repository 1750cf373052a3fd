//! Which side of a connection a participant is on.

use super::open_enum::open_enum;

open_enum! {
    /// The role of a connection's participant: the technician's host client or the guest agent.
    pub enum ProcessType {
        /// Unknown role (wire value 0).
        Unknown = 0,
        /// A technician's host client (wire value 1).
        Host = 1,
        /// The guest: the remote machine's agent or an attended guest (wire value 2).
        Guest = 2,
    }
}

#[cfg(test)]
mod tests {
    use super::ProcessType;

    #[test]
    fn reads_number_or_name() {
        let parsed: Vec<ProcessType> = serde_json::from_str(r#"[1, "Guest", 0, 3]"#).unwrap();
        assert_eq!(
            parsed,
            vec![
                ProcessType::Host,
                ProcessType::Guest,
                ProcessType::Unknown,
                ProcessType::Other(3)
            ]
        );
    }
}
