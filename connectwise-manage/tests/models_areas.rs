//! Decoding area models against responses shaped like real ones: an agreement (finance), a
//! project (project) and a purchase order (procurement).
//!
//! Each test needs its area's cargo feature. CI runs `cargo test --all-features`, which compiles
//! them all; `cargo test -p connectwise-manage --features finance` runs just the finance one.

#![cfg_attr(
    not(any(feature = "finance", feature = "project", feature = "procurement")),
    allow(dead_code, unused_imports)
)]

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes with the failing field's path in the panic message.
fn decode<T: DeserializeOwned>(json: &str) -> T {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(&mut deserializer)
        .unwrap_or_else(|e| panic!("decode failed at {}: {e}", e.path()))
}

fn value(json: &str) -> Value {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("fixture is not JSON: {e}"))
}

fn encode<T: serde::Serialize>(model: &T) -> Value {
    serde_json::to_value(model).unwrap_or_else(|e| panic!("encode failed: {e}"))
}

#[cfg(feature = "finance")]
mod finance {
    use connectwise_manage::models::{
        BillTime, finance::Agreement, finance::AgreementPeriodType, finance::AgreementStatus,
        finance::ApplicationCycle, finance::ApplicationUnits, finance::EmployeeCompNotExceed,
        finance::EmployeeCompRate, finance::InvoicingCycle,
    };
    use serde_json::json;
    use time::macros::datetime;

    use super::{decode, encode, value};

    const AGREEMENT: &str = include_str!("fixtures/model_agreement.json");

    #[test]
    fn agreement_decodes_typed_fields() {
        let agreement: Agreement = decode(AGREEMENT);
        assert_eq!(agreement.name.as_deref(), Some("Contoso Managed Services"));
        assert_eq!(
            agreement.r#type.as_ref().and_then(|t| t.name.as_deref()),
            Some("Managed Services")
        );
        assert_eq!(agreement.start_date, Some(datetime!(2025-01-01 00:00 UTC)));
        assert_eq!(agreement.end_date, Some(datetime!(2025-12-31 00:00 UTC)));
        assert_eq!(agreement.date_cancelled, None);
        assert_eq!(agreement.application_units, Some(ApplicationUnits::Hours));
        assert_eq!(
            agreement.application_cycle,
            Some(ApplicationCycle::CalendarMonth)
        );
        assert_eq!(agreement.employee_comp_rate, Some(EmployeeCompRate::Actual));
        assert_eq!(
            agreement.employee_comp_not_exceed,
            Some(EmployeeCompNotExceed::Billing)
        );
        assert_eq!(
            agreement.invoicing_cycle,
            Some(InvoicingCycle::ContractYear)
        );
        assert_eq!(agreement.period_type, Some(AgreementPeriodType::Current));
        assert_eq!(agreement.bill_time, Some(BillTime::Billable));
        assert_eq!(agreement.application_limit, Some(40.0));
        assert_eq!(agreement.bill_amount, Some(4250.0));
        assert_eq!(agreement.next_invoice_date.as_deref(), Some("2025-04-01"));
        assert_eq!(
            agreement.invoice_description.as_deref(),
            Some("Managed services for [month] [year]")
        );
    }

    #[test]
    fn agreement_keeps_what_the_spec_does_not_know() {
        let agreement: Agreement = decode(AGREEMENT);
        assert_eq!(
            agreement.agreement_status,
            Some(AgreementStatus::Other("PendingRenewal".into()))
        );
        assert_eq!(
            agreement.extra["renewalTerms"],
            json!({"months": 12, "autoRenew": true})
        );
        let info = agreement.info.as_ref().expect("_info");
        assert_eq!(info.updated_by(), Some("AgreementAutomation"));
        assert_eq!(info.date_entered(), Some(datetime!(2024-12-12 15:30 UTC)));
        let links: Vec<&str> = info.links().map(|(name, _)| name).collect();
        assert_eq!(links, ["additions", "adjustments", "invoices"]);
        assert_eq!(encode(&agreement), value(AGREEMENT));
    }

    #[test]
    fn agreement_read_modify_write() {
        let mut agreement: Agreement = decode(AGREEMENT);
        agreement.bill_amount = Some(4500.0);
        agreement.end_date = Some(datetime!(2026-12-31 00:00 UTC));
        let mut expected = value(AGREEMENT);
        expected["billAmount"] = json!(4500.0);
        expected["endDate"] = json!("2026-12-31T00:00:00Z");
        let written = encode(&agreement);
        assert_eq!(written, expected);
        assert_eq!(written["agreementStatus"], json!("PendingRenewal"));
    }
}

#[cfg(feature = "project")]
mod project {
    use connectwise_manage::models::{
        BillTime, BillingMethod, project::Project, project::ProjectBillingRateType,
        project::ProjectBudgetAnalysis,
    };
    use serde_json::json;
    use time::macros::datetime;

    use super::{decode, encode, value};

    const PROJECT: &str = include_str!("fixtures/model_project.json");

    #[test]
    fn project_decodes_and_round_trips() {
        let project: Project = decode(PROJECT);
        assert_eq!(project.name.as_deref(), Some("SharePoint migration"));
        assert_eq!(project.billing_method, Some(BillingMethod::FixedFee));
        assert_eq!(
            project.billing_rate_type,
            Some(ProjectBillingRateType::WorkRole)
        );
        assert_eq!(project.bill_time, Some(BillTime::NoCharge));
        assert_eq!(
            project.budget_analysis,
            Some(ProjectBudgetAnalysis::Other("Forecast".into()))
        );
        assert_eq!(project.actual_start, Some(datetime!(2025-01-06 14:00 UTC)));
        assert_eq!(project.actual_end, Some(datetime!(2025-02-28 22:00 UTC)));
        assert_eq!(project.percent_complete, Some(100.0));
        assert_eq!(project.closed_flag, Some(true));
        assert_eq!(
            project
                .manager
                .as_ref()
                .and_then(|m| m.identifier.as_deref()),
            Some("jsmith")
        );
        assert_eq!(project.extra["phaseCount"], json!(4));
        assert_eq!(project.custom_fields, Some(Vec::new()));
        let info = project.info.as_ref().expect("_info");
        assert_eq!(
            info.link("teamMembers"),
            Some(
                "https://na.myconnectwise.net/v4_6_release/apis/3.0/project/projects/588/teamMembers"
            )
        );
        assert_eq!(encode(&project), value(PROJECT));
    }

    #[test]
    fn project_read_modify_write() {
        let mut project: Project = decode(PROJECT);
        project.closed_flag = Some(false);
        project.budget_analysis = Some(ProjectBudgetAnalysis::BillableHours);
        let mut expected = value(PROJECT);
        expected["closedFlag"] = json!(false);
        expected["budgetAnalysis"] = json!("BillableHours");
        assert_eq!(encode(&project), expected);
    }
}

#[cfg(feature = "procurement")]
mod procurement {
    use connectwise_manage::models::procurement::PurchaseOrder;
    use serde_json::{Value, json};
    use time::macros::datetime;

    use super::{decode, encode, value};

    const PURCHASE_ORDER: &str = include_str!("fixtures/model_purchase_order.json");

    #[test]
    fn purchase_order_decodes_and_round_trips() {
        let order: PurchaseOrder = decode(PURCHASE_ORDER);
        assert_eq!(order.po_number.as_deref(), Some("PO-3301"));
        assert_eq!(order.po_date, Some(datetime!(2025-03-04 05:00 UTC)));
        assert_eq!(order.shipment_date, Some(datetime!(2025-03-06 05:00 UTC)));
        assert_eq!(order.date_closed, None);
        assert_eq!(order.total, Some(1422.5));
        assert_eq!(order.drop_ship_customer_flag, Some(true));
        assert_eq!(
            order
                .vendor_company
                .as_ref()
                .and_then(|c| c.identifier.as_deref()),
            Some("Northwind")
        );
        assert_eq!(
            order.warehouse.as_ref().and_then(|w| w.locked_flag),
            Some(false)
        );
        assert_eq!(
            order.status.as_ref().and_then(|s| s.name.as_deref()),
            Some("Ordered")
        );
        assert_eq!(order.extra["approvalState"]["approvedBy"], json!("mgarcia"));
        let fields = order.custom_fields.as_ref().expect("customFields");
        assert_eq!(fields[0].value, Value::Null);
        let info = order.info.as_ref().expect("_info");
        assert_eq!(
            info.last_updated(),
            Some(datetime!(2025-03-06 11:40:10 UTC))
        );
        assert!(info.link("lineItems").is_some());
        assert_eq!(encode(&order), value(PURCHASE_ORDER));
    }

    #[test]
    fn purchase_order_read_modify_write() {
        let mut order: PurchaseOrder = decode(PURCHASE_ORDER);
        order.tracking_number = Some("1Z999AA10123456785".into());
        if let Some(fields) = order.custom_fields.as_mut() {
            fields[0].value = json!("APR-2025-0113");
        }
        let mut expected = value(PURCHASE_ORDER);
        expected["trackingNumber"] = json!("1Z999AA10123456785");
        expected["customFields"][0]["value"] = json!("APR-2025-0113");
        assert_eq!(encode(&order), expected);
    }
}
