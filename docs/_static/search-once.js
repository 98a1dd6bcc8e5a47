// One line per page in the search results: Sphinx lists a reference page once for its
// title and again for the name it documents ("mmframe.read_suppressions" twice).
document.addEventListener("DOMContentLoaded", () => {
  if (typeof Search === "undefined" || !Search._performSearch) return;
  const perform = Search._performSearch;
  Search._performSearch = (...args) => {
    const seen = new Set();
    // The best result of a page comes last (the list is shown from its end): keep that one.
    return perform(...args)
      .reverse()
      .filter((result) => !seen.has(result[0]) && seen.add(result[0]))
      .reverse();
  };
});
