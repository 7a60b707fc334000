/* Keeps the reader's place when they switch language: a link to another language's version of
   the page carries the current #anchor (a statement's permalink). The links work without it. */
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest(".lang-switcher a[hreflang]");
  if (link && window.location.hash) {
    link.href = link.href.split("#")[0] + window.location.hash;
  }
});
