//! Accessors of each area feature against a mock server: method, path, query and body on the
//! wire, the declared operation, and the errata at work (repaired paths, trailing slashes, case
//! twins, parameters moved to the query string, count routes, optional bodies).
//!
//! Each module needs its area's cargo feature. CI runs `cargo test --all-features`, which compiles
//! them all; `cargo test -p connectwise-manage --features finance --test accessors_areas` runs
//! just the finance ones.

mod accessors_support;

#[cfg(feature = "company")]
mod company {
    use super::accessors_support::{BASE, assert_operation, setup};
    use connectwise_manage::ListQuery;
    use connectwise_manage::api::company::{
        GetCompanyContactsByIdImageParams, PostCompanyConfigurationsParams,
    };
    use connectwise_manage::models::{
        CompanyConfiguration, company::ClearPickerRequest, company::ManagedInformation,
    };
    use connectwise_manage::msp_common::Idempotency;
    use serde_json::json;
    use wiremock::matchers::{body_json, method, path, query_param};
    use wiremock::{Mock, ResponseTemplate};

    #[tokio::test]
    async fn moved_path_parameters_go_in_the_query_and_images_come_back_as_bytes() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("GET"))
            .and(path(format!("{BASE}/company/contacts/12/image")))
            .and(query_param("useDefaultFlag", "true"))
            .and(query_param("lastModified", "2025-03-01T00:00:00Z"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(b"\x89PNG".to_vec()))
            .expect(1)
            .mount(&server)
            .await;
        let params = GetCompanyContactsByIdImageParams {
            use_default_flag: Some(true),
            last_modified: Some("2025-03-01T00:00:00Z".into()),
        };
        let image = client
            .company()
            .contacts()
            .id(12)
            .image()
            .get_with(&params)
            .await
            .unwrap();
        assert_eq!(&image[..], b"\x89PNG");
        assert_operation(
            &recorder,
            "getCompanyContactsByIdImage",
            "/company/contacts/{id}/image",
            Idempotency::Safe,
        );
    }

    #[tokio::test]
    async fn a_model_query_parameter_is_sent_one_field_per_parameter() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("POST"))
            .and(path(format!("{BASE}/company/configurations")))
            .and(query_param("managedIdentifier", "agent-7"))
            .and(query_param("managementSolutionName", "RMM"))
            .and(body_json(json!({"name": "FW-01"})))
            .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 1})))
            .expect(1)
            .mount(&server)
            .await;
        let body = CompanyConfiguration {
            name: Some("FW-01".into()),
            ..Default::default()
        };
        let params = PostCompanyConfigurationsParams {
            managed_information: Some(ManagedInformation {
                managed_identifier: Some("agent-7".into()),
                management_solution_name: Some("RMM".into()),
                ..Default::default()
            }),
        };
        client
            .company()
            .configurations()
            .create_with(&body, &params)
            .await
            .unwrap();
        assert_operation(
            &recorder,
            "postCompanyConfigurations",
            "/company/configurations",
            Idempotency::NonIdempotent,
        );
    }

    #[tokio::test]
    async fn a_body_declared_as_a_path_parameter_is_sent_as_the_body_and_204_is_none() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("POST"))
            .and(path(format!("{BASE}/company/companyPickerItems/clear")))
            .and(body_json(json!({"memberIds": [1, 2]})))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
        let request: ClearPickerRequest =
            serde_json::from_value(json!({"memberIds": [1, 2]})).unwrap();
        let answer = client
            .company()
            .company_picker_items()
            .clear()
            .post(&request)
            .await
            .unwrap();
        assert_eq!(answer, None);
        assert_operation(
            &recorder,
            "postCompanyCompanyPickerItemsClear",
            "/company/companyPickerItems/clear",
            Idempotency::NonIdempotent,
        );
    }

    #[tokio::test]
    async fn spellings_that_differ_in_case_share_a_handle_and_keep_their_own_path() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("GET"))
            .and(path(format!("{BASE}/company/entityTypes")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": 1}])))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("{BASE}/company/entitytypes/info")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": 1}])))
            .expect(1)
            .mount(&server)
            .await;
        let entity_types = client.company().entity_types();
        entity_types.list(&ListQuery::new()).await.unwrap();
        entity_types.info().list(&ListQuery::new()).await.unwrap();
        let names: Vec<String> = recorder.sent().into_iter().map(|s| s.name).collect();
        assert_eq!(
            names,
            ["getCompanyEntityTypes", "getCompanyEntitytypesInfo"]
        );
    }

    #[tokio::test]
    async fn top_level_configuration_types_hang_off_the_client() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("GET"))
            .and(path(format!(
                "{BASE}/configurations/types/3/questions/info"
            )))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": 8}])))
            .expect(1)
            .mount(&server)
            .await;
        let questions = client
            .configurations()
            .types()
            .id(3)
            .questions()
            .info()
            .list(&ListQuery::new())
            .await
            .unwrap();
        assert_eq!(questions[0].id, Some(8));
        assert_operation(
            &recorder,
            "getConfigurationsTypesByParentIdQuestionsInfo",
            "/configurations/types/{parentId}/questions/info",
            Idempotency::Safe,
        );
    }
}

#[cfg(feature = "expense")]
mod expense {
    use super::accessors_support::{BASE, assert_operation, setup};
    use connectwise_manage::ListQuery;
    use connectwise_manage::models::expense::ExpenseReportTierUpdate;
    use connectwise_manage::msp_common::Idempotency;
    use serde_json::json;
    use wiremock::matchers::{body_json, method, path, query_param};
    use wiremock::{Mock, ResponseTemplate};

    #[tokio::test]
    async fn approving_a_report_accepts_200_or_201_with_or_without_a_body() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("POST"))
            .and(path(format!("{BASE}/expense/reports/5/approve")))
            .and(body_json(json!({"notes": "ok"})))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true})))
            .expect(1)
            .mount(&server)
            .await;
        let update: ExpenseReportTierUpdate =
            serde_json::from_value(json!({"notes": "ok"})).unwrap();
        let answer = client
            .expense()
            .reports()
            .id(5)
            .approve()
            .post(&update)
            .await
            .unwrap();
        assert!(answer.is_some());
        assert_operation(
            &recorder,
            "postExpenseReportsByIdApprove",
            "/expense/reports/{id}/approve",
            Idempotency::NonIdempotent,
        );
    }

    #[tokio::test]
    async fn expense_entries_count() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("GET"))
            .and(path(format!("{BASE}/expense/entries/count")))
            .and(query_param("conditions", "billableOption = \"Billable\""))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"count": 3})))
            .expect(1)
            .mount(&server)
            .await;
        let query = ListQuery::new().conditions(
            connectwise_manage::query::Condition::eq("billableOption", "Billable").unwrap(),
        );
        assert_eq!(client.expense().entries().count(&query).await.unwrap(), 3);
        assert_operation(
            &recorder,
            "getExpenseEntriesCount",
            "/expense/entries/count",
            Idempotency::Safe,
        );
    }
}

#[cfg(feature = "finance")]
mod finance {
    use super::accessors_support::{BASE, assert_operation, setup};
    use connectwise_manage::ListQuery;
    use connectwise_manage::msp_common::Idempotency;
    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};

    #[tokio::test]
    async fn a_repaired_path_is_called_and_traced_under_the_spec_operation_id() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("POST"))
            .and(path(format!("{BASE}/finance/agreements/types/9/copy")))
            .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 10})))
            .expect(1)
            .mount(&server)
            .await;
        let copy = client
            .finance()
            .agreements()
            .types()
            .id(9)
            .copy()
            .post()
            .await
            .unwrap();
        assert_eq!(copy.and_then(|c| c.id), Some(10));
        assert_operation(
            &recorder,
            "postFinanceAgreementsByIdCopy",
            "/finance/agreements/types/{id}/copy",
            Idempotency::NonIdempotent,
        );
    }

    #[tokio::test]
    async fn a_trailing_slash_is_kept_as_the_spec_writes_it() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("GET"))
            .and(path(format!("{BASE}/finance/agreementrecap/")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": 1}])))
            .expect(1)
            .mount(&server)
            .await;
        let recap = client
            .finance()
            .agreementrecap()
            .list(&ListQuery::new())
            .await
            .unwrap();
        assert_eq!(recap.len(), 1);
        // The path as the spec writes it; a listing sends the client's default page size.
        assert_eq!(
            recorder.only().target,
            format!("{BASE}/finance/agreementrecap/?pageSize=1000")
        );
        assert_eq!(recorder.only().name, "getFinanceAgreementrecap");
    }

    #[tokio::test]
    async fn invoicing_an_agreement_returns_the_invoice_number_and_pdfs_are_bytes() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("POST"))
            .and(path(format!("{BASE}/finance/agreements/3/invoice")))
            .respond_with(ResponseTemplate::new(201).set_body_json(json!(1234)))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("{BASE}/finance/invoices/1234/pdf")))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(b"%PDF-1.7".to_vec()))
            .expect(1)
            .mount(&server)
            .await;
        let finance = client.finance();
        let number = finance.agreements().id(3).invoice().post().await.unwrap();
        assert_eq!(number, 1234);
        let pdf = finance.invoices().id(number).pdf().get().await.unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        let names: Vec<String> = recorder.sent().into_iter().map(|s| s.name).collect();
        assert_eq!(
            names,
            [
                "postFinanceAgreementsByIdInvoice",
                "getFinanceInvoicesByIdPdf"
            ]
        );
    }

    #[tokio::test]
    async fn agreements_update() {
        let (server, client, _) = setup().await;
        Mock::given(method("PUT"))
            .and(path(format!("{BASE}/finance/agreements/3")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 3, "name": "MSA"})))
            .expect(1)
            .mount(&server)
            .await;
        let agreement = connectwise_manage::models::finance::Agreement {
            id: Some(3),
            name: Some("MSA".into()),
            ..Default::default()
        };
        let updated = client
            .finance()
            .agreements()
            .id(3)
            .update(&agreement)
            .await
            .unwrap();
        assert_eq!(updated.name.as_deref(), Some("MSA"));
    }
}

#[cfg(feature = "marketing")]
mod marketing {
    use super::accessors_support::{BASE, setup};
    use connectwise_manage::ListQuery;
    use connectwise_manage::models::marketing::Group;
    use connectwise_manage::msp_common::Idempotency;
    use serde_json::json;
    use wiremock::matchers::{body_json, method, path, query_param};
    use wiremock::{Mock, ResponseTemplate};

    #[tokio::test]
    async fn groups_list_and_create() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("GET"))
            .and(path(format!("{BASE}/marketing/groups")))
            .and(query_param("page", "2"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!([{"id": 1, "name": "VIP"}])),
            )
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(format!("{BASE}/marketing/groups")))
            .and(body_json(json!({"name": "Newsletter"})))
            .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 2})))
            .expect(1)
            .mount(&server)
            .await;
        let groups = client.marketing().groups();
        let listed = groups.list(&ListQuery::new().page(2)).await.unwrap();
        assert_eq!(listed[0].name.as_deref(), Some("VIP"));
        let group = Group {
            name: Some("Newsletter".into()),
            ..Default::default()
        };
        assert_eq!(groups.create(&group).await.unwrap().id, Some(2));
        let sent = recorder.sent();
        assert_eq!(sent[1].name, "postMarketingGroups");
        assert_eq!(sent[1].idempotency, Idempotency::NonIdempotent);
    }
}

#[cfg(feature = "procurement")]
mod procurement {
    use super::accessors_support::{BASE, assert_operation, setup};
    use connectwise_manage::ListQuery;
    use connectwise_manage::api::procurement::{
        DeleteProcurementPurchaseordersByParentIdLineitemsParams,
        GetProcurementCatalogByCatalogItemIdentifierQuantityOnHandParams,
    };
    use connectwise_manage::models::procurement::RmaStatusEmailTemplate;
    use connectwise_manage::msp_common::Idempotency;
    use serde_json::json;
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, ResponseTemplate};

    #[tokio::test]
    async fn a_string_identifier_is_one_encoded_segment_and_moved_parameters_are_queried() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("GET"))
            .and(path(format!(
                "{BASE}/procurement/catalog/CAB%2FCAT6%20blue/quantityOnHand"
            )))
            .and(query_param("warehouseBinId", "4"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"count": 17})))
            .expect(1)
            .mount(&server)
            .await;
        let params = GetProcurementCatalogByCatalogItemIdentifierQuantityOnHandParams {
            warehouse_bin_id: Some(4),
        };
        let on_hand = client
            .procurement()
            .catalog()
            .by_catalog_item_identifier("CAB/CAT6 blue")
            .quantity_on_hand()
            .get_with(&params)
            .await
            .unwrap();
        assert_eq!(on_hand.count, Some(17));
        assert_operation(
            &recorder,
            "getProcurementCatalogByCatalogItemIdentifierQuantityOnHand",
            "/procurement/catalog/{catalogItemIdentifier}/quantityOnHand",
            Idempotency::Safe,
        );
    }

    #[tokio::test]
    async fn an_empty_identifier_is_refused_before_sending() {
        let (_server, client, recorder) = setup().await;
        let error = client
            .procurement()
            .catalog()
            .by_catalog_item_identifier("")
            .quantity_on_hand()
            .get()
            .await
            .unwrap_err();
        assert!(
            error.to_string().contains("catalogItemIdentifier"),
            "{error}"
        );
        assert!(recorder.sent().is_empty());
    }

    #[tokio::test]
    async fn case_twins_share_a_handle_and_call_their_own_spelling() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("GET"))
            .and(path(format!(
                "{BASE}/procurement/rmaStatuses/2/emailTemplates/"
            )))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": 1}])))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(format!(
                "{BASE}/procurement/rmaStatuses/2/emailtemplates/"
            )))
            .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 2})))
            .expect(1)
            .mount(&server)
            .await;
        let templates = client.procurement().rma_statuses().id(2).email_templates();
        templates.list(&ListQuery::new()).await.unwrap();
        templates
            .create(&RmaStatusEmailTemplate::default())
            .await
            .unwrap();
        let names: Vec<String> = recorder.sent().into_iter().map(|s| s.name).collect();
        assert_eq!(
            names,
            [
                "getProcurementRmaStatusesByParentIdEmailTemplates",
                "postProcurementRmaStatusesByParentIdEmailtemplates"
            ]
        );
    }

    #[tokio::test]
    async fn deleting_line_items_with_a_query_parameter() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("DELETE"))
            .and(path(format!(
                "{BASE}/procurement/purchaseorders/7/lineitems"
            )))
            .and(query_param("id", "70"))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
        let params = DeleteProcurementPurchaseordersByParentIdLineitemsParams { id: Some(70) };
        client
            .procurement()
            .purchaseorders()
            .id(7)
            .lineitems()
            .delete_with(&params)
            .await
            .unwrap();
        assert_operation(
            &recorder,
            "deleteProcurementPurchaseordersByParentIdLineitems",
            "/procurement/purchaseorders/{parentId}/lineitems",
            Idempotency::Idempotent,
        );
    }

    #[tokio::test]
    async fn a_repaired_vendor_path() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("DELETE"))
            .and(path(format!("{BASE}/procurement/catalog/5/vendors/6")))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
        client
            .procurement()
            .catalog()
            .id(5)
            .vendors()
            .id(6)
            .delete()
            .await
            .unwrap();
        assert_eq!(
            recorder.only().name,
            "deleteProcurementCatalogByParentIdVendorsById"
        );
    }
}

#[cfg(feature = "project")]
mod project {
    use super::accessors_support::{BASE, assert_operation, setup};
    use connectwise_manage::ListQuery;
    use connectwise_manage::models::project::ProjectTicketNote;
    use connectwise_manage::msp_common::Idempotency;
    use connectwise_manage::query::Condition;
    use serde_json::json;
    use wiremock::matchers::{body_json, method, path};
    use wiremock::{Mock, ResponseTemplate};

    #[tokio::test]
    async fn project_tickets_search() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("POST"))
            .and(path(format!("{BASE}/project/tickets/search")))
            .and(body_json(json!({"conditions": "project/id = 11"})))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": 4}])))
            .expect(1)
            .mount(&server)
            .await;
        let query = ListQuery::new().conditions(Condition::eq("project/id", 11).unwrap());
        let found = client.project().tickets().search(&query).await.unwrap();
        assert_eq!(found[0].id, Some(4));
        assert_operation(
            &recorder,
            "postProjectTicketsSearch",
            "/project/tickets/search",
            Idempotency::Safe,
        );
    }

    #[tokio::test]
    async fn an_action_with_only_a_default_response_ignores_the_body() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("POST"))
            .and(path(format!("{BASE}/project/ticketNote/3/markAs/")))
            .respond_with(ResponseTemplate::new(200).set_body_string("not json"))
            .expect(1)
            .mount(&server)
            .await;
        client
            .project()
            .ticket_note()
            .id(3)
            .mark_as()
            .post(&ProjectTicketNote::default())
            .await
            .unwrap();
        assert_eq!(recorder.only().name, "postProjectTicketNoteByIdMarkAs");
    }
}

#[cfg(feature = "sales")]
mod sales {
    use super::accessors_support::{BASE, assert_operation, setup};
    use connectwise_manage::ListQuery;
    use connectwise_manage::msp_common::Idempotency;
    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};

    #[tokio::test]
    async fn a_count_route_declared_with_the_wrong_schema_still_counts() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("GET"))
            .and(path(format!("{BASE}/sales/opportunities/8/notes/count")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"count": 6})))
            .expect(1)
            .mount(&server)
            .await;
        let count = client
            .sales()
            .opportunities()
            .id(8)
            .notes()
            .count(&ListQuery::new())
            .await
            .unwrap();
        assert_eq!(count, 6);
        assert_operation(
            &recorder,
            "getSalesOpportunitiesByParentIdNotesCount",
            "/sales/opportunities/{parentId}/notes/count",
            Idempotency::Safe,
        );
    }

    #[tokio::test]
    async fn orders_get() {
        let (server, client, _) = setup().await;
        Mock::given(method("GET"))
            .and(path(format!("{BASE}/sales/orders/12")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 12})))
            .expect(1)
            .mount(&server)
            .await;
        let order = client.sales().orders().id(12).get().await.unwrap();
        assert_eq!(order.id, Some(12));
    }
}

#[cfg(feature = "schedule")]
mod schedule {
    use super::accessors_support::{BASE, assert_operation, setup};
    use connectwise_manage::ListQuery;
    use connectwise_manage::models::schedule::ScheduleEntry;
    use connectwise_manage::msp_common::Idempotency;
    use serde_json::json;
    use wiremock::matchers::{body_json, method, path};
    use wiremock::{Mock, ResponseTemplate};

    #[tokio::test]
    async fn calendars_count() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("GET"))
            .and(path(format!("{BASE}/schedule/calendars/count")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"count": 2})))
            .expect(1)
            .mount(&server)
            .await;
        let count = client
            .schedule()
            .calendars()
            .count(&ListQuery::new())
            .await
            .unwrap();
        assert_eq!(count, 2);
        assert_operation(
            &recorder,
            "getScheduleCalendarsCount",
            "/schedule/calendars/count",
            Idempotency::Safe,
        );
    }

    #[tokio::test]
    async fn schedule_entries_create() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("POST"))
            .and(path(format!("{BASE}/schedule/entries")))
            .and(body_json(json!({"objectId": 42, "name": "On site"})))
            .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 5})))
            .expect(1)
            .mount(&server)
            .await;
        let entry = ScheduleEntry {
            object_id: Some(42),
            name: Some("On site".into()),
            ..Default::default()
        };
        let created = client.schedule().entries().create(&entry).await.unwrap();
        assert_eq!(created.id, Some(5));
        assert_eq!(recorder.only().name, "postScheduleEntries");
    }
}

#[cfg(feature = "service")]
mod service {
    use super::accessors_support::{BASE, setup};
    use connectwise_manage::ListQuery;
    use connectwise_manage::msp_common::Idempotency;
    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};

    #[tokio::test]
    async fn copying_a_ticket_returns_the_copy_or_none() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("POST"))
            .and(path(format!("{BASE}/service/tickets/42/copy")))
            .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 43})))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(format!("{BASE}/service/tickets/44/copy")))
            .respond_with(ResponseTemplate::new(200))
            .expect(1)
            .mount(&server)
            .await;
        let tickets = client.service().tickets();
        let copy = tickets.id(42).copy().post().await.unwrap();
        assert_eq!(copy.and_then(|t| t.id), Some(43));
        assert_eq!(tickets.id(44).copy().post().await.unwrap(), None);
        assert_eq!(recorder.sent()[0].name, "postServiceTicketsByIdCopy");
    }

    #[tokio::test]
    async fn slas_share_one_handle_across_spellings() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("GET"))
            .and(path(format!("{BASE}/service/SLAs")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": 1}])))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("{BASE}/service/slas/1/info")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 1})))
            .expect(1)
            .mount(&server)
            .await;
        let slas = client.service().slas();
        slas.list(&ListQuery::new()).await.unwrap();
        slas.id(1).info().get().await.unwrap();
        let names: Vec<String> = recorder.sent().into_iter().map(|s| s.name).collect();
        assert_eq!(names, ["getServiceSLAs", "getServiceSlasByIdInfo"]);
        assert!(
            recorder
                .sent()
                .iter()
                .all(|s| s.idempotency == Idempotency::Safe)
        );
    }
}

#[cfg(feature = "system")]
mod system {
    use super::accessors_support::{BASE, assert_operation, setup};
    use connectwise_manage::ListQuery;
    use connectwise_manage::api::system::GetSystemDocumentsByIdDownloadParams;
    use connectwise_manage::msp_common::Idempotency;
    use serde_json::json;
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, ResponseTemplate};

    #[tokio::test]
    async fn member_tokens_by_identifier() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("POST"))
            .and(path(format!("{BASE}/system/members/j.doe%20jr/tokens")))
            .respond_with(
                ResponseTemplate::new(201)
                    .set_body_json(json!({"publicKey": "pk", "privateKey": "sk"})),
            )
            .expect(1)
            .mount(&server)
            .await;
        let token = client
            .system()
            .members()
            .by_member_identifier("j.doe jr")
            .tokens()
            .post()
            .await
            .unwrap();
        assert_eq!(token.public_key.as_deref(), Some("pk"));
        assert_operation(
            &recorder,
            "postSystemMembersByMemberIdentifierTokens",
            "/system/members/{memberIdentifier}/tokens",
            Idempotency::NonIdempotent,
        );
    }

    #[tokio::test]
    async fn a_repaired_route_keeps_its_operation_id() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("GET"))
            .and(path(format!("{BASE}/system/info/members/jdoe")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 3})))
            .expect(1)
            .mount(&server)
            .await;
        let member = client
            .system()
            .info()
            .members()
            .by_member_identifier("jdoe")
            .get()
            .await
            .unwrap();
        assert_eq!(member.id, Some(3));
        assert_operation(
            &recorder,
            "getSystemInfoMembersmemberIdentifierregextypes",
            "/system/info/members/{memberIdentifier}",
            Idempotency::Safe,
        );
    }

    #[tokio::test]
    async fn document_downloads_are_bytes_with_query_parameters() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("GET"))
            .and(path(format!("{BASE}/system/documents/77/download")))
            .and(query_param("lastModified", "2025-01-01T00:00:00Z"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(b"file".to_vec()))
            .expect(1)
            .mount(&server)
            .await;
        let params = GetSystemDocumentsByIdDownloadParams {
            last_modified: Some("2025-01-01T00:00:00Z".into()),
        };
        let file = client
            .system()
            .documents()
            .id(77)
            .download()
            .get_with(&params)
            .await
            .unwrap();
        assert_eq!(&file[..], b"file");
        assert_eq!(recorder.only().name, "getSystemDocumentsByIdDownload");
    }

    #[tokio::test]
    async fn list_only_query_parameters_go_through_list_query_param() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("GET"))
            .and(path(format!("{BASE}/system/audittrail")))
            .and(query_param("type", "Ticket"))
            .and(query_param("id", "42"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"text": "x"}])))
            .expect(1)
            .mount(&server)
            .await;
        let query = ListQuery::new().param("type", "Ticket").param("id", "42");
        let entries = client.system().audittrail().list(&query).await.unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(recorder.only().name, "getSystemAudittrail");
    }

    #[tokio::test]
    async fn a_segment_named_like_a_keyword_gets_the_node_suffix() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("DELETE"))
            .and(path(format!("{BASE}/system/contactsync/monitoring/type/4")))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
        client
            .system()
            .contactsync()
            .monitoring()
            .type_node()
            .id(4)
            .delete()
            .await
            .unwrap();
        assert_eq!(
            recorder.only().name,
            "deleteSystemContactsyncMonitoringTypeById"
        );
    }
}

#[cfg(feature = "time")]
mod time {
    use super::accessors_support::{BASE, assert_operation, setup};
    use connectwise_manage::ListQuery;
    use connectwise_manage::models::time::TimeSheetTierUpdate;
    use connectwise_manage::msp_common::Idempotency;
    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};

    #[tokio::test]
    async fn time_sheets_approve() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("POST"))
            .and(path(format!("{BASE}/time/sheets/9/approve")))
            .respond_with(ResponseTemplate::new(201))
            .expect(1)
            .mount(&server)
            .await;
        let answer = client
            .time()
            .sheets()
            .id(9)
            .approve()
            .post(&TimeSheetTierUpdate::default())
            .await
            .unwrap();
        assert_eq!(answer, None);
        assert_operation(
            &recorder,
            "postTimeSheetsByIdApprove",
            "/time/sheets/{id}/approve",
            Idempotency::NonIdempotent,
        );
    }

    #[tokio::test]
    async fn accrual_details_list() {
        let (server, client, recorder) = setup().await;
        Mock::given(method("GET"))
            .and(path(format!("{BASE}/time/accruals/2/details")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": 1}])))
            .expect(1)
            .mount(&server)
            .await;
        let details = client
            .time()
            .accruals()
            .id(2)
            .details()
            .list(&ListQuery::new())
            .await
            .unwrap();
        assert_eq!(details.len(), 1);
        assert_eq!(recorder.only().name, "getTimeAccrualsByParentIdDetails");
    }
}
