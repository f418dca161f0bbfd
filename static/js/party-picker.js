// Party picker (matching.forms.PartyPicker): a ticked search result becomes a chip, so the next
// search cannot lose it; an unticked chip goes away. Enter in the search box searches instead of
// submitting the whole form. Without this file the form still works (search button, checkboxes).
document.addEventListener("change", function (event) {
  var box = event.target;
  var picker = box.closest && box.closest("[data-party-picker]");
  if (!picker || box.type !== "checkbox") return;
  var item = box.closest("li");
  var chips = picker.querySelector("[data-party-chips]");
  if (box.checked && !chips.contains(item)) {
    var none = chips.querySelector("[data-party-none]");
    if (none) none.remove();
    chips.appendChild(item);
    item.className = "party-chip border rounded-pill px-2 py-1 bg-light";
    box.focus();
  } else if (!box.checked && chips.contains(item)) {
    var search = picker.querySelector("input[type=search]");
    item.remove();
    if (search) search.focus();
  }
});
document.addEventListener("keydown", function (event) {
  var input = event.target;
  if (event.key !== "Enter" || !input.closest || !input.closest("[data-party-picker]") || input.type !== "search") return;
  event.preventDefault();
  if (window.htmx) window.htmx.trigger(input, "search");
});
