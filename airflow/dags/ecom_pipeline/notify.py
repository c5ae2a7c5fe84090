"""Notifications of the DAGs through the Slack provider's notifier: a failed data-quality run (which suites and
expectations failed) and the completion of a transform run (seed 001's ``send_completion_notification``).

The target is the Slack incoming webhook of the connection ``ecom_alerts_webhook``
(``AIRFLOW_CONN_ECOM_ALERTS_WEBHOOK``, conn type ``slackwebhook``, the webhook URL as password; scripts/airflow.sh
builds it from ``ALERT_WEBHOOK_URL``, the runtime's own alert webhook). Without that connection nothing is sent and
the log says so: alerts are optional, a missing webhook must not fail a run.
"""

from __future__ import annotations

import logging

from airflow.providers.slack.notifications.slack_webhook import SlackWebhookNotifier

log = logging.getLogger(__name__)

ALERTS_CONN_ID = "ecom_alerts_webhook"


class EcomNotifier(SlackWebhookNotifier):
    """The provider's Slack webhook notifier, skipped (with a log line) when the alert connection is not defined."""

    def notify(self, context):
        from airflow.sdk import BaseHook
        from airflow.sdk.exceptions import AirflowNotFoundException

        try:
            BaseHook.get_connection(self.slack_webhook_conn_id)
        except AirflowNotFoundException:
            log.info("no connection %s: notification not sent: %s", self.slack_webhook_conn_id, self.text)
            return
        super().notify(context)


def quality_failed() -> EcomNotifier:
    """Sent when ecom_data_quality's verdict fails: the failure message lists suites, expectations, sample rows."""
    return EcomNotifier(
        slack_webhook_conn_id=ALERTS_CONN_ID,
        text=":red_circle: ecom-pipeline data quality failed (run {{ run_id }}): {{ exception }}",
    )


def transform_completed() -> EcomNotifier:
    """Sent when ecom_transform_and_index completed: what the transform and index jobs did."""
    return EcomNotifier(
        slack_webhook_conn_id=ALERTS_CONN_ID,
        text=":white_check_mark: ecom-pipeline transform and index completed (run {{ run_id }}): "
        "{{ ti.xcom_pull(task_ids='report') | tojson }}",
    )
