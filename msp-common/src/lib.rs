//! Transport, retry, pagination, errors and secrets shared by the MSP automation clients.
