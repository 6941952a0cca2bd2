/* Live chat pages: Socket.IO (the vendored client, websocket transport) with the page's
   short-lived token from /chat/token. The pages work without this script (the form posts).
   Every string shown comes from data- attributes the server translated. */
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function connect(onConnect) {
    fetch("/chat/token", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (body) {
        var socket = window.io({ transports: ["websocket"], auth: function (cb) {
          // A reconnect asks for a fresh token (they live ten minutes).
          fetch("/chat/token", { credentials: "same-origin" })
            .then(function (r) { return r.json(); })
            .then(function (b) { cb({ token: b.token }); }, function () { cb({ token: body.token }); });
        } });
        socket.on("connect", function () { onConnect(socket); });
      })
      .catch(function () { /* not signed in or offline: the page stays as served */ });
  }

  function setText(el, showing, labels) {
    var text = el.querySelector(".chat-text");
    var button = el.querySelector("[data-chat-toggle]");
    if (!text) { return; }
    var translated = text.getAttribute("data-translation");
    if (!translated) { return; }
    text.setAttribute("data-showing", showing);
    text.textContent = showing === "translation" ? translated : text.getAttribute("data-original");
    if (button) {
      button.hidden = false;
      button.textContent = showing === "translation" ? labels.original : labels.translation;
    }
  }

  function messageItem(m, me, labels) {
    var li = document.createElement("li");
    li.className = "chat-message" + (m.sender_id === me ? " mine" : "");
    li.setAttribute("data-message-id", m.id);
    li.setAttribute("data-seq", String(m.seq));
    if (m.text) {
      var p = document.createElement("p");
      p.className = "chat-text";
      p.setAttribute("data-original", m.text);
      p.textContent = m.text;
      li.appendChild(p);
    }
    if (m.image_url) {
      var a = document.createElement("a");
      a.href = "/chat/messages/" + m.id + "/image";
      var img = document.createElement("img");
      img.src = a.href + "?thumbnail=true";
      img.alt = "";
      a.appendChild(img);
      li.appendChild(a);
    }
    var meta = document.createElement("p");
    meta.className = "chat-meta";
    var time = document.createElement("time");
    time.dateTime = m.created_at;
    time.textContent = new Date(m.created_at).toLocaleString(document.documentElement.lang);
    meta.appendChild(time);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link";
    button.hidden = true;
    button.setAttribute("data-chat-toggle", "");
    button.textContent = labels.original;
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(button);
    li.appendChild(meta);
    if (m.translation) { addTranslation(li, m.translation.text, labels); }
    return li;
  }

  function addTranslation(li, text, labels) {
    var p = li.querySelector(".chat-text");
    if (!p) { return; }
    p.setAttribute("data-translation", text);
    setText(li, "translation", labels);
  }

  function conversationPage(section) {
    var id = section.getAttribute("data-chat-conversation");
    var me = section.getAttribute("data-me");
    var lang = section.getAttribute("data-lang");
    var list = section.querySelector("[data-chat-messages]");
    var typing = section.querySelector("[data-chat-typing]");
    var form = section.querySelector("[data-chat-form]");
    var labels = {
      original: section.getAttribute("data-label-original"),
      translation: section.getAttribute("data-label-translation"),
      typing: section.getAttribute("data-label-typing")
    };
    var lastId = section.getAttribute("data-last-id") || null;
    var typingTimer = null;

    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-chat-toggle]");
      if (!button) { return; }
      var li = button.closest(".chat-message");
      var text = li.querySelector(".chat-text");
      setText(li, text.getAttribute("data-showing") === "translation" ? "original" : "translation", labels);
    });

    function show(m) {
      if (list.querySelector("[data-message-id='" + m.id + "']")) { return; }
      list.appendChild(messageItem(m, me, labels));
      lastId = m.id;
      list.lastElementChild.scrollIntoView({ block: "end" });
    }

    connect(function (socket) {
      // Joining again after a reconnect fetches what was missed since the last message seen.
      socket.emit("join", { conversation_id: id, since: lastId }, function (ack) {
        if (!ack || !ack.ok) { return; }
        ack.missed.forEach(show);
        socket.emit("read", { conversation_id: id }, function () {});
      });
      if (socket.haatBound) { return; }
      socket.haatBound = true;
      socket.on("message", function (m) {
        if (m.conversation_id !== id) { return; }
        show(m);
        typing.hidden = true;
        socket.emit("read", { conversation_id: id, seq: m.seq }, function () {});
      });
      socket.on("translation", function (t) {
        if (t.conversation_id !== id || t.language !== lang) { return; }
        var li = list.querySelector("[data-message-id='" + t.message_id + "']");
        if (li) { addTranslation(li, t.text, labels); }
      });
      socket.on("typing", function (t) {
        if (t.conversation_id !== id) { return; }
        typing.textContent = labels.typing;
        typing.hidden = !t.typing;
        clearTimeout(typingTimer);
        typingTimer = setTimeout(function () { typing.hidden = true; }, 4000);
      });
      var box = form.querySelector("textarea");
      box.addEventListener("input", function () {
        socket.emit("typing", { conversation_id: id, typing: box.value.length > 0 }, function () {});
      });
      form.addEventListener("submit", function (event) {
        var text = box.value.trim();
        if (!text || !socket.connected) { return; } // no socket: the form posts as usual
        event.preventDefault();
        socket.emit("send", { conversation_id: id, text: text }, function (ack) {
          if (ack && ack.ok) {
            box.value = "";
            show(ack.message);
          } else {
            form.submit();
          }
        });
      });
    });
  }

  function listPage(root) {
    var items = root.querySelectorAll("[data-conversation-id]");
    connect(function (socket) {
      items.forEach(function (item) {
        socket.emit("join", { conversation_id: item.getAttribute("data-conversation-id") }, function () {});
      });
      if (socket.haatBound) { return; }
      socket.haatBound = true;
      socket.on("message", function (m) {
        var item = root.querySelector("[data-conversation-id='" + m.conversation_id + "']");
        if (!item) { return; }
        var badge = item.querySelector("[data-unread]");
        var count = parseInt(badge.getAttribute("data-unread"), 10) + 1;
        badge.setAttribute("data-unread", String(count));
        badge.textContent = String(count);
        badge.hidden = false;
        var preview = item.querySelector("[data-preview]");
        if (preview) { preview.textContent = m.text; }
        root.insertBefore(item, root.firstElementChild);
      });
    });
  }

  onReady(function () {
    if (!window.io) { return; }
    var section = document.querySelector("[data-chat-conversation]");
    if (section) { conversationPage(section); }
    var list = document.querySelector("[data-chat-list]");
    if (list) { listPage(list); }
  });
})();
