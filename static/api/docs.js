/* The API docs page (templates/api/docs.html): Swagger UI on the schema whose address the page
 * gives in data-schema-url. A static file, since the CSP refuses inline scripts.
 *
 * Swagger UI leaves accessibility gaps (WCAG 4.1.2, 2.5.3, 2.1.1) that a stylesheet cannot close,
 * so an observer closes them as it renders: a parameter's <select> is labelled with the
 * parameter's name, the request body's text area and the dialog's close button with the page's
 * words (data-label-*), the dialog's Authorize button by its visible text, and a scrollable code
 * sample (examples, curl, responses) can take focus. */
(function () {
  "use strict";

  function each(root, selector, fn) {
    root.querySelectorAll(selector).forEach(fn);
  }

  function label(root) {
    each(root, "tr[data-param-name] select:not([aria-label])", function (el) {
      el.setAttribute("aria-label", el.closest("tr").getAttribute("data-param-name"));
    });
    each(root, "textarea.body-param__text:not([aria-label])", function (el) {
      el.setAttribute("aria-label", root.getAttribute("data-label-body"));
    });
    each(root, "button.close-modal:not([aria-label])", function (el) {
      el.setAttribute("aria-label", root.getAttribute("data-label-close"));
    });
    // Its aria-label ("Apply credentials") hides the word on the button (label in name).
    each(root, ".modal-btn.authorize[aria-label]", function (el) {
      el.removeAttribute("aria-label");
    });
    each(root, ".opblock-body pre:not([tabindex])", function (el) {
      el.setAttribute("tabindex", "0");
    });
  }

  function start() {
    var el = document.getElementById("swagger-ui");
    if (!el || typeof SwaggerUIBundle === "undefined") return;
    new MutationObserver(function () { label(el); }).observe(el, { childList: true, subtree: true });
    SwaggerUIBundle({
      url: el.getAttribute("data-schema-url"),
      domNode: el,
      presets: [SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
      // Deep links would put a link inside each operation's button (axe: nested-interactive).
      deepLinking: false,
      docExpansion: "list",
      defaultModelsExpandDepth: 0,
      // The cookies of a logged-in person are not the API's credentials: a token is (Authorize).
      withCredentials: false
    });
  }

  if (document.readyState !== "loading") start();
  else document.addEventListener("DOMContentLoaded", start);
})();
