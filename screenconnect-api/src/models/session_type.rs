//! The kind of a session (support, meeting or unattended access).

use super::open_enum::open_enum;

open_enum! {
    /// What a session is for.
    ///
    /// The RESTful API sends the number (`2`); filters and mocks use the name (`'Access'`). Both
    /// are accepted; unknown values are kept in `Other` / `OtherName`. Filters compare against the
    /// name, so [`SessionType::name`] is what the filter builder renders.
    pub enum SessionType {
        /// An attended, ad-hoc support session (wire value 0).
        Support = 0,
        /// A meeting session (wire value 1).
        Meeting = 1,
        /// An unattended access agent installed on a machine (wire value 2).
        Access = 2,
    }
}

#[cfg(test)]
mod tests {
    use super::SessionType;

    #[test]
    fn reads_numbers_names_and_unknowns() {
        let parsed: Vec<SessionType> =
            serde_json::from_str(r#"[2, "Access", "access", " Support ", 1, 9, "Kiosk", "0"]"#)
                .unwrap();
        assert_eq!(
            parsed,
            vec![
                SessionType::Access,
                SessionType::Access,
                SessionType::Access,
                SessionType::Support,
                SessionType::Meeting,
                SessionType::Other(9),
                SessionType::OtherName("Kiosk".to_owned()),
                SessionType::Support,
            ]
        );
    }

    #[test]
    fn writes_the_numeric_wire_form() {
        let json = serde_json::to_string(&[
            SessionType::Access,
            SessionType::Other(7),
            SessionType::OtherName("Kiosk".to_owned()),
        ])
        .unwrap();
        assert_eq!(json, r#"[2,7,"Kiosk"]"#);
    }

    #[test]
    fn rejects_non_number_non_string() {
        let err = serde_json::from_str::<SessionType>("true").unwrap_err();
        assert!(
            err.to_string().contains("SessionType number or name"),
            "{err}"
        );
    }

    #[test]
    fn names_and_display() {
        assert_eq!(SessionType::Access.name(), Some("Access"));
        assert_eq!(SessionType::Other(5).name(), None);
        assert_eq!(SessionType::Other(5).to_string(), "5");
        assert_eq!(SessionType::Meeting.to_string(), "Meeting");
        assert_eq!(SessionType::Meeting.code(), Some(1));
    }
}
