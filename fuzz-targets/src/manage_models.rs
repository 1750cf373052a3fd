//! ConnectWise Manage response bodies decoded into the typed models.

use connectwise_manage::models::{Company, Ticket};

use crate::decode_round_trip;

/// A `GET /service/tickets/{id}` body.
pub fn manage_ticket(data: &[u8]) {
    decode_round_trip::<Ticket>("getServiceTicketsById", data);
}

/// A `GET /company/companies/{id}` body.
pub fn manage_company(data: &[u8]) {
    decode_round_trip::<Company>("getCompanyCompaniesById", data);
}

/// A page of `GET /service/tickets`.
pub fn manage_ticket_page(data: &[u8]) {
    decode_round_trip::<Vec<Ticket>>("getServiceTickets", data);
}
