// 大字号/高对比度 (适老化): a per-browser display preference, kept in localStorage and shown as a
// class on <html>. A static file, not an inline script: the CSP forbids inline scripts.
(function () {
  "use strict";
  var KEY = "portal-display-large-contrast";
  var CLASS = "display-large-contrast";
  var root = document.documentElement;

  function stored() {
    try {
      return window.localStorage.getItem(KEY) === "on";
    } catch (error) {
      return false; // storage blocked: the default display
    }
  }

  function apply(on) {
    root.classList.toggle(CLASS, on);
    document.querySelectorAll("[data-display-toggle]").forEach(function (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  apply(stored());
  document.addEventListener("DOMContentLoaded", function () {
    apply(stored());
    document.querySelectorAll("[data-display-toggle]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var on = !root.classList.contains(CLASS);
        try {
          window.localStorage.setItem(KEY, on ? "on" : "off");
        } catch (error) {
          // storage blocked: the switch still works for this page
        }
        apply(on);
      });
    });
  });
})();
