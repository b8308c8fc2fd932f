// Web chat simulator: talks only to the sandbox, which talks to our /wechat like WeChat's servers do.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const chat = $("chat");
  const store = {
    get(key, fallback) { try { return JSON.parse(localStorage.getItem(key)) ?? fallback; } catch (e) { return fallback; } },
    set(key, value) { localStorage.setItem(key, JSON.stringify(value)); },
  };
  const state = { openid: null, lastOutboxId: 0, sending: false, menu: { button: [] } };

  // ---- users ---------------------------------------------------------------
  function users() { return store.get("siyu.sim.users", []); }
  function newOpenid() { return "sim_" + Math.random().toString(36).slice(2, 10); }
  function renderUsers() {
    const select = $("user-select");
    select.innerHTML = "";
    for (const u of users()) {
      const opt = document.createElement("option");
      opt.value = u; opt.textContent = u; opt.selected = u === state.openid;
      select.appendChild(opt);
    }
  }
  function selectUser(openid, isNew) {
    state.openid = openid;
    store.set("siyu.sim.current", openid);
    // Links opened from the chat (news cards, text links) "are opened in WeChat" by this user:
    // the sandbox's web-authorisation page (/sandbox/connect/oauth2/authorize) reads this cookie.
    document.cookie = "sandbox_openid=" + encodeURIComponent(openid) + "; path=/; SameSite=Lax";
    state.lastOutboxId = store.get("siyu.sim.outbox." + openid, 0);
    renderUsers();
    chat.innerHTML = "";
    for (const item of store.get("siyu.sim.history." + openid, [])) draw(item);
    if (isNew) follow();
  }
  function createUser() {
    const openid = newOpenid();
    store.set("siyu.sim.users", [...users(), openid]);
    selectUser(openid, true);
  }

  // ---- drawing --------------------------------------------------------------
  function esc(s) { return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]); }
  function linkify(text) {
    const parts = String(text).split(/(<a\s+href=["'][^"']+["'][^>]*>.*?<\/a>)/gi);
    return parts.map((part) => {
      const a = /^<a\s+href=["']([^"']+)["'][^>]*>(.*?)<\/a>$/i.exec(part);
      if (a) return `<a href="${esc(a[1])}" target="_blank" rel="noopener">${esc(a[2])}</a>`;
      return esc(part).replace(/(https?:\/\/[^\s<>"']+)/g, '<a href="$1" target="_blank" rel="noopener">$1</a>');
    }).join("");
  }
  function remember(item) {
    const key = "siyu.sim.history." + state.openid;
    const history = store.get(key, []);
    history.push(item);
    store.set(key, history.slice(-200));
  }
  function add(item) { remember(item); draw(item); }
  function draw(item) {
    const row = document.createElement("div");
    if (item.kind === "system") {
      row.className = "system" + (item.error ? " error" : "");
      row.innerHTML = `<span>${esc(item.text)}</span>`;
    } else {
      row.className = "row " + item.who;
      row.dataset.testid = item.who === "user" ? "user-message" : "bot-message";
      row.dataset.source = item.source || "";
      const avatar = `<span class="avatar">${item.who === "user" ? "我" : "思"}</span>`;
      row.innerHTML = avatar + content(item);
    }
    chat.appendChild(row);
    chat.scrollTop = chat.scrollHeight;
  }
  function content(item) {
    const m = item.message || {};
    if (m.msgtype === "news" && m.articles && m.articles.length) {
      const a = m.articles[0];
      const pic = a.picurl ? `<img src="${esc(a.picurl)}" alt="">` : "";
      return `<div class="card news" data-url="${esc(a.url || "")}" data-testid="news-card"><div class="title">${esc(a.title)}</div>` +
        `<div class="body"><div class="desc">${esc(a.description)}</div>${pic}</div></div>`;
    }
    if (m.msgtype === "image") {
      return `<div class="bubble image"><img class="poster" src="${esc(m.url || "")}" alt="图片" data-testid="image-message"></div>`;
    }
    if (m.msgtype === "template") {
      const lines = Object.entries(m.data || {}).map(([k, v]) => `${k}: ${(v && v.value) || ""}`).join("\n");
      return `<div class="card template" data-url="${esc(m.url || "")}"><div class="title">${esc(m.template_id)}</div>` +
        `<div class="body"><div class="desc">${esc(lines)}</div></div></div>`;
    }
    if (m.msgtype === "transfer_customer_service") return `<div class="bubble">[已转接人工客服，请稍候]</div>`;
    return `<div class="bubble">${linkify(m.content || "")}</div>`;
  }
  chat.addEventListener("click", (e) => {
    const card = e.target.closest(".card");
    if (card && card.dataset.url) window.open(card.dataset.url, "_blank");
  });

  // ---- sending through the sandbox -------------------------------------------
  async function send(action, echo) {
    if (!state.openid) createUser();
    if (echo) add({ who: "user", kind: "msg", message: { msgtype: "text", content: echo } });
    state.sending = true; $("send").disabled = true;
    try {
      const r = await fetch("/sandbox/send", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ openid: state.openid, mode: $("mode-select").value, ...action }),
      });
      const data = await r.json();
      if (!r.ok) { add({ kind: "system", error: true, text: data.error || ("HTTP " + r.status) }); return; }
      if (data.error) add({ kind: "system", error: true, text: data.error });
      else if (data.reply) add({ who: "bot", kind: "msg", source: "passive", message: data.reply });
    } catch (err) {
      add({ kind: "system", error: true, text: "网络错误：" + err });
    } finally {
      state.sending = false; $("send").disabled = false;
      pollOutbox();
    }
  }
  function sendText() {
    const input = $("input");
    const text = input.value.trim();
    if (!text || state.sending) return;
    input.value = "";
    send({ msgtype: "text", content: text }, text);
  }
  function follow() {
    add({ kind: "system", text: "你关注了公众号" });
    send({ msgtype: "event", event: "subscribe" });
  }

  // ---- live customer-service messages -----------------------------------------
  async function pollOutbox() {
    if (!state.openid) return;
    const openid = state.openid;
    try {
      const r = await fetch(`/sandbox/outbox?openid=${encodeURIComponent(openid)}&after=${state.lastOutboxId}`);
      if (!r.ok || openid !== state.openid) return;
      for (const m of (await r.json()).messages) {
        state.lastOutboxId = Math.max(state.lastOutboxId, m.id || 0);
        add({ who: "bot", kind: "msg", source: "cs", message: m });
      }
      store.set("siyu.sim.outbox." + openid, state.lastOutboxId);
    } catch (err) { /* the next poll retries */ }
  }

  // ---- custom menu -----------------------------------------------------------
  async function loadMenu() {
    try { state.menu = await (await fetch("/sandbox/menu")).json(); } catch (e) { state.menu = { button: [] }; }
    const box = $("menu-buttons");
    box.innerHTML = "";
    (state.menu.button || []).forEach((b) => {
      const btn = document.createElement("button");
      btn.textContent = b.name;
      btn.addEventListener("click", (e) => (b.sub_button && b.sub_button.length ? openSub(b, e.currentTarget) : press(b)));
      box.appendChild(btn);
    });
    if ((state.menu.button || []).length) showMenu(true);
  }
  function openSub(button, anchor) {
    const sub = $("submenu");
    if (!sub.hidden && sub.dataset.owner === button.name) { sub.hidden = true; return; }
    sub.innerHTML = ""; sub.dataset.owner = button.name;
    for (const s of button.sub_button) {
      const item = document.createElement("button");
      item.textContent = s.name;
      item.addEventListener("click", () => { sub.hidden = true; press(s); });
      sub.appendChild(item);
    }
    const phone = $("phone").getBoundingClientRect(), rect = anchor.getBoundingClientRect();
    sub.style.left = Math.max(6, rect.left - phone.left + rect.width / 2 - 60) + "px";
    sub.hidden = false;
  }
  function press(button) {
    if (button.type === "view") { send({ msgtype: "event", event: "VIEW", key: button.url }); window.open(button.url, "_blank"); return; }
    send({ msgtype: "event", event: "CLICK", key: button.key || "" });
  }
  function showMenu(on) { $("menubar").hidden = !on; $("inputbar").hidden = on; $("submenu").hidden = true; }

  // ---- scanning QR codes -------------------------------------------------------
  async function openScan() {
    $("scan-panel").hidden = false;
    const list = $("recent-qrcodes");
    list.innerHTML = "";
    try {
      for (const q of (await (await fetch("/sandbox/qrcodes")).json()).qrcodes) {
        const li = document.createElement("li");
        li.innerHTML = `<img src="${esc(q.image)}" alt=""><span>${esc(q.scene_str)}</span>`;
        li.addEventListener("click", () => scan(q.url));
        list.appendChild(li);
      }
    } catch (e) { /* empty list */ }
  }
  function scan(url) {
    $("scan-panel").hidden = true;
    add({ kind: "system", text: "扫描二维码" });
    send({ msgtype: "event", event: "scan_qr", url: url.trim() });
  }

  // ---- start -------------------------------------------------------------------
  $("send").addEventListener("click", sendText);
  $("input").addEventListener("keydown", (e) => { if (e.key === "Enter" && !e.isComposing) sendText(); });
  $("new-user").addEventListener("click", createUser);
  $("user-select").addEventListener("change", (e) => selectUser(e.target.value, false));
  $("to-menu").addEventListener("click", () => showMenu(true));
  $("to-input").addEventListener("click", () => showMenu(false));
  $("scan").addEventListener("click", openScan);
  $("scan-close").addEventListener("click", () => { $("scan-panel").hidden = true; });
  $("scan-go").addEventListener("click", () => scan($("scan-url").value));
  $("mode-select").value = store.get("siyu.sim.mode", "plaintext");
  $("mode-select").addEventListener("change", (e) => store.set("siyu.sim.mode", e.target.value));
  const current = store.get("siyu.sim.current", null);
  if (current && users().includes(current)) selectUser(current, false); else createUser();
  loadMenu();
  fetch("/sandbox/info").then((r) => r.json()).then((info) => {
    if (info.safe_mode) return;
    for (const opt of $("mode-select").options) opt.disabled = opt.value !== "plaintext";
    $("mode-select").value = "plaintext";
  }).catch(() => {});
  setInterval(pollOutbox, 1000);
})();
