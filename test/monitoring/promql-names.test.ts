import { describe, expect, it } from "vitest";
import { metricNames } from "./promql-names";

describe("metricNames", () => {
  it("finds selected metrics, not functions, label lists, keywords or label values", () => {
    expect(
      metricNames(
        'sum by (app, le) (rate(fly_edge_http_response_time_seconds_bucket{app=~"a|b",status=~"5.."}[5m])) / on (app) group_left sum(up_total offset 5m) > bool 1e3',
      ),
    ).toEqual(["fly_edge_http_response_time_seconds_bucket", "up_total"]);
  });

  it("finds a bare name", () => {
    expect(metricNames("fly_instance_up")).toEqual(["fly_instance_up"]);
  });
});
