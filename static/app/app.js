// Starts GOV.UK Frontend and the idle-session warning.
import { initAll } from '../vendor/govuk-frontend/govuk-frontend.min.js'

initAll()

// Idle sessions end after 30 minutes (SESSION_COOKIE_AGE). Two minutes before, a modal dialog
// offers "Stay signed in". Before the session ends, a `session:expiring` event lets open forms save
// their drafts (issue 5's referral form listens for it).
function startTimeout () {
  const body = document.body
  const seconds = parseInt(body.dataset.sessionSeconds || '0', 10)
  const warning = parseInt(body.dataset.sessionWarningSeconds || '120', 10)
  const dialog = document.getElementById('session-timeout')
  if (!seconds || !dialog || typeof dialog.showModal !== 'function') return
  const countdown = dialog.querySelector('.app-timeout__countdown')
  let deadline = Date.now() + seconds * 1000
  let tick = null
  let lastFocus = null

  const token = document.querySelector('meta[name="csrf-token"]')?.content || ''

  function reset () { deadline = Date.now() + seconds * 1000 }

  async function stay () {
    try {
      const response = await fetch(body.dataset.keepaliveUrl, {
        method: 'POST', headers: { 'X-CSRFToken': token }, credentials: 'same-origin'
      })
      if (response.ok) reset()
    } catch (e) { /* the next request will tell */ }
    dialog.close()
    if (lastFocus) lastFocus.focus()
  }

  function describe (ms) {
    const s = Math.max(0, Math.round(ms / 1000))
    if (s >= 60) { const m = Math.ceil(s / 60); return m + (m === 1 ? ' minute' : ' minutes') }
    return s + (s === 1 ? ' second' : ' seconds')
  }

  function check () {
    const left = deadline - Date.now()
    if (left <= 0) {
      clearInterval(tick)
      document.dispatchEvent(new CustomEvent('session:expiring'))
      setTimeout(() => { window.location.href = body.dataset.signedOutUrl + '?next=' + encodeURIComponent(window.location.pathname) }, 1500)
      return
    }
    if (left <= warning * 1000) {
      if (!dialog.open) {
        lastFocus = document.activeElement
        document.dispatchEvent(new CustomEvent('session:warning'))
        dialog.showModal()
      }
      // Update the text at most once every 15 seconds so screen readers are not flooded.
      const s = Math.round(left / 1000)
      if (s % 15 === 0 || s > warning - 2) countdown.textContent = describe(left)
    }
  }

  dialog.querySelector('[data-action="stay-signed-in"]').addEventListener('click', stay)
  dialog.addEventListener('cancel', (event) => { event.preventDefault(); stay() })
  // Any full page load restarts the clock (the server refreshes the session on every request);
  // in-page saves call window.appSessionActivity() to say the same.
  window.appSessionActivity = reset
  tick = setInterval(check, 1000)
}

startTimeout()
