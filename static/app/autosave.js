// Saves a referral section as you type, so nothing is lost: not on a validation error, not when the
// session is about to end, not when the connection drops (a copy is kept in this tab until saved).
const form = document.querySelector('form.app-autosave')
if (form) {
  const url = form.dataset.autosaveUrl
  const key = 'unsaved:' + url
  const status = form.querySelector('.app-autosave__status')
  const token = document.querySelector('meta[name="csrf-token"]')?.content || ''
  let dirty = false
  let timer = null

  const say = (text) => { if (status) status.textContent = text }

  function payload () {
    const data = new FormData(form)
    data.delete('action')
    return data
  }

  function keepCopy () {
    const entries = []
    for (const [name, value] of payload().entries()) {
      if (name !== 'csrfmiddlewaretoken') entries.push([name, value])
    }
    try { sessionStorage.setItem(key, JSON.stringify(entries)) } catch (e) { /* storage full or off */ }
  }

  async function save (final = false) {
    if (!dirty) return
    keepCopy()
    try {
      const response = await fetch(url, {
        method: 'POST', body: payload(), credentials: 'same-origin', keepalive: final,
        headers: { 'X-CSRFToken': token }
      })
      if (!response.ok) throw new Error(String(response.status))
      const result = await response.json()
      dirty = false
      sessionStorage.removeItem(key)
      say('Draft saved at ' + result.at)
      if (window.appSessionActivity) window.appSessionActivity()
    } catch (e) {
      say('We could not save your draft just now. We will keep trying, and this tab keeps a copy of what you typed.')
      clearTimeout(timer)
      timer = setTimeout(() => save(), 10000)
    }
  }

  function changed () {
    dirty = true
    clearTimeout(timer)
    timer = setTimeout(() => save(), 3000)
  }

  // Restore a copy that never reached the server (connection dropped, tab reloaded).
  const copy = sessionStorage.getItem(key)
  if (copy) {
    try {
      const entries = JSON.parse(copy)
      const byName = {}
      for (const [name, value] of entries) (byName[name] = byName[name] || []).push(value)
      for (const [name, values] of Object.entries(byName)) {
        for (const el of form.querySelectorAll('[name="' + CSS.escape(name) + '"]')) {
          if (el.type === 'checkbox' || el.type === 'radio') el.checked = values.includes(el.value)
          else if (el.type !== 'hidden') el.value = values[0]
        }
      }
      dirty = true
      say('We restored what you typed before the connection was lost. Saving it now.')
      save()
    } catch (e) { sessionStorage.removeItem(key) }
  }

  form.addEventListener('input', changed)
  form.addEventListener('change', changed)
  form.addEventListener('submit', () => { clearTimeout(timer); sessionStorage.removeItem(key) })
  document.addEventListener('session:warning', () => save())
  document.addEventListener('session:expiring', () => { dirty = true; save(true) })
  window.addEventListener('pagehide', () => { if (dirty) { keepCopy(); save(true) } })
}
