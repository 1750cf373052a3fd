//! Runnable recipes for the MSP automation clients.
