/** Where an app's alerts go and how often: pure helpers for the contact point and its route. */
import type { AlertingProfile } from "../config";

/**
 * Grafana's notification-policy tree is one resource per organisation (the provider overwrites it
 * whole), so each app's route is declared on its rules (`notification_settings`, Grafana's
 * simplified routing): the app's contact point, with the stack's grouping and repeat interval.
 */
export function notificationSettings(contactPoint: string, profile: AlertingProfile) {
  return {
    contactPoint,
    // Grafana requires alertname and grafana_folder in any grouping a rule sets.
    groupBies: [
      "alertname",
      "grafana_folder",
      "app",
      ...(profile.groupBy === "instance" ? ["instance"] : []),
    ],
    groupWait: profile.groupWait,
    groupInterval: profile.groupInterval,
    repeatInterval: profile.repeatInterval,
  };
}
