//! The recipes, one module each. Every recipe is a library function taking a client and options
//! and returning a report, so that it can be tested against the sandbox; the binaries in
//! `src/bin/` only read the command line, pick the target and print.
//!
//! | recipe | writes | without the write flag |
//! |---|---|---|
//! | [`triage`] | type, priority, board, an internal note, a time entry | reports what it would do (`--apply` writes) |
//! | [`export_tickets`] | nothing | (read only: streams tickets to JSON Lines or CSV) |
//! | [`log_time`] | a time entry, the ticket's status | prints the entry and the patch (`--apply` writes) |
//! | [`sync_configurations`] | new and updated configurations | lists what it would create or update (`--apply` writes) |
//! | [`ensure_callback`] | a callback entry | shows matching entries (`--apply` writes) |
//! | [`sc_installer`] | nothing | (pure: no credentials, no I/O) |
//! | [`screenconnect`] | commands, messages, custom properties | prints what it would send (`--yes` sends) |
//! | [`sc_run_command`] | runs a command on a machine | shows the session found (`--execute` runs) |

pub mod ensure_callback;
pub mod export_tickets;
pub mod log_time;
pub mod lookup;
pub mod sc_installer;
pub mod sc_run_command;
pub mod screenconnect;
pub mod sync_configurations;
pub mod triage;
