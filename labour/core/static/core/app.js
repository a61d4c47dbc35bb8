/* 郑州市建设劳务服务平台: small progressive enhancements, no external code. */
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // 「获取验证码」: send, then count down 60 s before a resend is allowed
  function startCountdown(button, seconds) {
    var label = "获取验证码";
    button.disabled = true;
    var left = seconds;
    button.textContent = left + "秒后重新获取";
    var timer = setInterval(function () {
      left -= 1;
      if (left <= 0) {
        clearInterval(timer);
        button.disabled = false;
        button.textContent = label;
      } else {
        button.textContent = left + "秒后重新获取";
      }
    }, 1000);
  }

  function setupCodeButtons() {
    document.querySelectorAll(".code-btn").forEach(function (button) {
      var status = button.parentNode.querySelector(".code-status");
      button.addEventListener("click", function () {
        var phone = document.getElementById(button.dataset.phoneField);
        var body = new URLSearchParams();
        body.set("phone", phone ? phone.value : "");
        body.set("purpose", button.dataset.purpose || "");
        if (button.dataset.usernameField) {
          var u = document.getElementById(button.dataset.usernameField);
          body.set("username", u ? u.value : "");
        }
        button.disabled = true;
        status.className = "code-status";
        status.textContent = "正在发送…";
        fetch(button.dataset.codeUrl, {
          method: "POST", body: body, credentials: "same-origin",
          headers: {"X-CSRFToken": csrfToken()}
        }).then(function (r) { return r.json(); }).then(function (data) {
          status.textContent = data.message || "";
          if (data.ok) {
            startCountdown(button, data.cooldown || 60);
          } else {
            status.className = "code-status err";
            button.disabled = false;
          }
        }).catch(function () {
          status.className = "code-status err";
          status.textContent = "网络异常，请稍后再试";
          button.disabled = false;
        });
      });
    });
  }

  // 注册地区编码: show the region's name; pre-fill from the USCC (characters 3-8)
  function setupRegion() {
    var region = document.getElementById("id_region_code");
    var credit = document.getElementById("id_credit_code");
    var label = document.getElementById("region-name");
    if (!region || !label) { return; }
    var url = region.dataset.lookupUrl;
    function lookup(code, fill) {
      fetch(url + "?code=" + encodeURIComponent(code)).then(function (r) { return r.json(); })
        .then(function (data) {
          if (fill) {
            if (data.code && data.name && !region.value) { region.value = data.code; label.textContent = data.name; }
          } else if (region.value === code) {
            // ignore a late answer for a code that has since been edited
            label.textContent = data.name || "未找到该地区编码";
          }
        }).catch(function () {});
    }
    region.addEventListener("input", function () {
      if (region.value.length === 6) { lookup(region.value, false); } else { label.textContent = ""; }
    });
    if (credit) {
      credit.addEventListener("change", function () {
        if (!region.value && credit.value.replace(/\s/g, "").length === 18) { lookup(credit.value, true); }
      });
    }
  }

  // 项目账号认证: 项目名称 lists the projects where the unit (its full name and its
  // credit code) may apply now
  function setupProjectChoices() {
    var unit = document.getElementById("id_unit");
    var unitCode = document.getElementById("id_unit_code");
    var select = document.getElementById("id_project");
    var blocked = document.getElementById("blocked-projects");
    if (!unit || !unitCode || !select || !select.dataset.projectsUrl) { return; }
    function refresh() {
      var name = unit.value.trim();
      var code = unitCode.value.trim();
      if (!name || !code) { return; }
      fetch(select.dataset.projectsUrl + "?unit=" + encodeURIComponent(name) + "&code=" + encodeURIComponent(code))
        .then(function (r) { return r.json(); }).then(function (data) {
          select.innerHTML = "";
          var first = document.createElement("option");
          first.value = ""; first.textContent = "请选择项目";
          select.appendChild(first);
          blocked.innerHTML = "";
          if (!data.found) {
            var li = document.createElement("li");
            li.textContent = data.message || "未找到该单位：请输入已完成企业账号认证的单位的完整名称及其统一社会信用代码";
            blocked.appendChild(li);
            return;
          }
          data.projects.forEach(function (p) {
            if (p.reason) {
              var item = document.createElement("li");
              item.textContent = p.name + "：" + p.reason;
              blocked.appendChild(item);
            } else {
              var option = document.createElement("option");
              option.value = p.code; option.textContent = p.name;
              select.appendChild(option);
            }
          });
          if (!data.projects.length) {
            var none = document.createElement("li");
            none.textContent = "该单位暂无可申请项目账号的项目";
            blocked.appendChild(none);
          }
        }).catch(function () {});
    }
    unit.addEventListener("change", refresh);
    unitCode.addEventListener("change", refresh);
  }

  // 证书有效截止日期: 长期 disables the date
  function setupLongTerm() {
    var box = document.getElementById("id_long_term");
    var date = document.getElementById("id_certificate_valid_until");
    if (!box || !date) { return; }
    function sync() { date.disabled = box.checked; if (box.checked) { date.value = ""; } }
    box.addEventListener("change", sync);
    sync();
  }

  // one submit only; show progress on long uploads
  function setupForms() {
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.sent) { event.preventDefault(); return; }
        form.dataset.sent = "1";
        var button = event.submitter || form.querySelector("button[type=submit]");
        if (button) {
          button.disabled = true;
          // keep the pressed button's name/value in the submitted data
          if (button.name) {
            var hidden = document.createElement("input");
            hidden.type = "hidden"; hidden.name = button.name; hidden.value = button.value;
            form.appendChild(hidden);
          }
          button.dataset.label = button.textContent;
          button.textContent = form.dataset.busy || "正在提交";
          button.classList.add("submitting");
        }
      });
    });
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (event) {
        if (!window.confirm(el.dataset.confirm)) { event.preventDefault(); event.stopImmediatePropagation(); }
      });
    });
  }

  // login page: 企业 / 项目 / 主管部门 parts
  function setupTabs() {
    var tabs = document.querySelectorAll("[role=tab]");
    tabs.forEach(function (tab) {
      tab.addEventListener("click", function () {
        tabs.forEach(function (t) {
          var selected = t === tab;
          t.setAttribute("aria-selected", selected ? "true" : "false");
          document.getElementById(t.getAttribute("aria-controls")).hidden = !selected;
        });
      });
    });
  }

  // a message beside a field (inside its .control), replacing an earlier one of the same kind
  function fieldMessage(input, kind, text) {
    var control = input.closest(".control") || input.parentNode;
    var id = input.id + "_" + kind;
    var note = document.getElementById(id);
    if (!text) { if (note) { note.remove(); } return; }
    if (!note) {
      note = document.createElement("p");
      note.id = id;
      note.className = kind === "limit" ? "limit" : "error";
      note.setAttribute("aria-live", "polite");
      var help = control.querySelector(".help");
      control.insertBefore(note, help);
    }
    note.textContent = text;
  }

  // no silent truncation: at the field's maxlength, say so beside it
  function setupMaxLength() {
    document.querySelectorAll("input[maxlength], textarea[maxlength]").forEach(function (input) {
      if (!input.id || ["hidden", "checkbox", "radio", "file"].indexOf(input.type) >= 0) { return; }
      var max = parseInt(input.getAttribute("maxlength"), 10);
      if (!(max > 0)) { return; }
      function check() {
        fieldMessage(input, "limit", input.value.length >= max ? "最多可输入" + max + "个字" : "");
      }
      input.addEventListener("input", check);
      check();
    });
  }

  // an upload over the size limit is refused at once, beside its field
  function setupFileLimits() {
    document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
      var max = parseInt(input.dataset.maxBytes, 10);
      input.addEventListener("change", function () {
        var file = input.files && input.files[0];
        if (file && file.size > max) {
          fieldMessage(input, "size", "文件“" + file.name + "”超过" + Math.round(max / 1048576) +
                       " MB，请压缩后重新选择");
          input.value = "";
        } else {
          fieldMessage(input, "size", "");
        }
      });
    });
  }

  // 退回: the reason (typed or ticked) is checked before the confirmation dialog
  function setupReturnReason() {
    document.querySelectorAll("[data-reason-required]").forEach(function (button) {
      var form = button.form;
      var reason = document.getElementById(button.dataset.reasonRequired);
      if (!form || !reason) { return; }
      var row = reason.closest(".field");
      function given() {
        return reason.value.trim() !== "" || form.querySelector("input[name=picks]:checked") !== null;
      }
      function clear() {
        if (given()) {
          fieldMessage(reason, "error", "");
          if (row) { row.classList.remove("has-error"); }
          reason.removeAttribute("aria-invalid");
        }
      }
      reason.addEventListener("input", clear);
      form.querySelectorAll("input[name=picks]").forEach(function (box) { box.addEventListener("change", clear); });
      // registered before the confirmation handler: an empty reason stops it
      button.addEventListener("click", function (event) {
        if (given()) { return; }
        event.preventDefault();
        event.stopImmediatePropagation();
        fieldMessage(reason, "error", "请填写退回原因（或选择常用原因）");
        if (row) { row.classList.add("has-error"); }
        reason.setAttribute("aria-invalid", "true");
        reason.setAttribute("aria-describedby", reason.id + "_error " + reason.id + "_helptext");
        reason.focus();
      });
    });
  }

  // back/forward cache: a page restored after submitting must be usable again
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("button.submitting").forEach(function (button) {
        button.disabled = false;
        button.classList.remove("submitting");
        if (button.dataset.label) { button.textContent = button.dataset.label; }
      });
    });
  });

  // a form sent after the login expired: what was typed is kept in this tab only, and
  // put back on the page the user returns to after logging in again (never passwords
  // or files). Any other page forgets it; 退出 forgets it too.
  var TYPED = "typed:";
  function typedFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && ["password", "file", "hidden", "submit", "button"].indexOf(el.type) < 0;
    });
  }
  function forgetTyped() {
    try {
      Object.keys(sessionStorage).forEach(function (k) {
        if (k.indexOf(TYPED) === 0) { sessionStorage.removeItem(k); }
      });
    } catch (e) { /* storage unavailable: nothing kept */ }
  }
  function setupTypedKeeping() {
    document.querySelectorAll("form[method=post]").forEach(function (form) {
      form.addEventListener("submit", function () {
        if (form.hasAttribute("data-forget-typed")) { forgetTyped(); return; }
        var values = {};
        typedFields(form).forEach(function (el) {
          if (el.type === "checkbox" || el.type === "radio") {
            if (el.checked) { values[el.name + "=" + el.value] = true; }
          } else { values[el.name] = el.value; }
        });
        try { sessionStorage.setItem(TYPED + location.pathname, JSON.stringify(values)); } catch (e) { /* full */ }
      });
    });
    var body = document.body;
    if (body.hasAttribute("data-keep-typed")) { return; }  // the login page in between
    var saved = null;
    try { saved = sessionStorage.getItem(TYPED + location.pathname); } catch (e) { return; }
    forgetTyped();
    if (!saved || !body.hasAttribute("data-restore-typed")) { return; }
    var values = JSON.parse(saved);
    var restored = 0;
    document.querySelectorAll("form[method=post]").forEach(function (form) {
      typedFields(form).forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          if (values[el.name + "=" + el.value]) { el.checked = true; restored += 1; }
        } else if (Object.prototype.hasOwnProperty.call(values, el.name) && !el.value && values[el.name]) {
          el.value = values[el.name]; restored += 1;
        }
      });
    });
    if (restored) {
      var note = document.createElement("p");
      note.className = "msg msg-info";
      note.setAttribute("role", "status");
      note.id = "typed-restored";
      note.textContent = "登录过期前填写的内容已恢复，请核对后重新提交（上传的文件需重新选择）。";
      var main = document.getElementById("main");
      if (main) { main.insertBefore(note, main.firstChild); }
    }
  }

  // a unit's name: certified enterprises offered as you type; choosing one fills its
  // credit code (新建项目, 添加参建单位)
  function setupEnterpriseLookup() {
    document.querySelectorAll("input[data-enterprise-lookup]").forEach(function (input, index) {
      var codeField = document.getElementById(input.dataset.enterpriseLookup);
      var list = document.createElement("datalist");
      list.id = "enterprise-suggestions-" + index;
      input.setAttribute("list", list.id);
      input.parentNode.appendChild(list);
      var found = {};
      var timer = null;
      input.addEventListener("input", function () {
        var value = input.value.trim();
        if (found[value] && codeField) { codeField.value = found[value]; return; }
        clearTimeout(timer);
        if (value.length < 2) { return; }
        timer = setTimeout(function () {
          fetch(input.dataset.lookupUrl + "?q=" + encodeURIComponent(value), {credentials: "same-origin"})
            .then(function (r) { return r.ok ? r.json() : {results: []}; })
            .then(function (data) {
              list.innerHTML = "";
              found = {};
              (data.results || []).forEach(function (e) {
                found[e.name] = e.credit_code;
                var option = document.createElement("option");
                option.value = e.name;
                option.label = e.credit_code;
                list.appendChild(option);
              });
            }).catch(function () {});
        }, 250);
      });
    });
  }

  // 「打印」 buttons (认证回执)
  function setupPrint() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupReturnReason();  // before setupForms: its check comes before the confirmation
    setupPrint(); setupEnterpriseLookup(); setupCodeButtons(); setupRegion(); setupLongTerm(); setupForms(); setupTabs();
    setupProjectChoices(); setupTypedKeeping(); setupMaxLength(); setupFileLimits();
  });
})();
