// Which accounts an article goes to, for the preview: the routing facts are
// data the build writes into loa-config.json (data.units[unit].channels — the
// registry's channels_for(unit), the unit's accounts then the department's, each
// with the account id `loa syndicate plan` names); the one rule applied here is
// loa/syndication/planner.routes: `syndicate: false` posts nowhere, a list keeps
// the channels of those platforms, nothing (absent) keeps them all.
// tests/browser/test_newsroom_routes.py compares it with `loa syndicate plan`.
(function (root) {
  "use strict";

  function plain(value) { return value && value.toJS ? value.toJS() : value; }

  function routes(unitFacts, syndicate) {
    syndicate = plain(syndicate);
    if (!unitFacts || syndicate === false) return [];
    var channels = unitFacts.channels || [];
    if (typeof syndicate === "string") syndicate = [syndicate];
    if (Array.isArray(syndicate)) {
      var wanted = syndicate.map(function (name) { return String(name).trim().toLowerCase(); });
      channels = channels.filter(function (channel) { return wanted.indexOf(channel.platform) >= 0; });
    }
    return channels;
  }

  root.LoaRoutes = { routes: routes };
})(typeof window !== "undefined" ? window : globalThis);
