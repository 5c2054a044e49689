// The access-key field of the xlkg task pane (shown when the server's auth provider is "xlkg").
(function () {
  const input = document.getElementById("xlkg-access-key");
  const save = document.getElementById("xlkg-access-key-save");
  const state = document.getElementById("xlkg-access-key-state");
  if (!input || !save) {
    return;
  }
  const show = () => {
    state.textContent = localStorage.getItem("xlkg-access-key")
      ? "A key is saved. / Ключ сохранён. / Ачкыч сакталды."
      : "No key saved. / Ключ не сохранён. / Ачкыч сакталган жок.";
  };
  save.addEventListener("click", () => {
    localStorage.setItem("xlkg-access-key", input.value.trim());
    input.value = "";
    show();
  });
  show();
})();
