-- Argo CD health check for vpn.peerwarden.io/VpnPeer.
-- Ready=True: Healthy. Ready=False, reason Restricted: Suspended. Ready=False for a problem the
-- user has to fix (collision, invalid field, key mismatch, wg failure...): Degraded, with the
-- condition's message. Anything else (no status yet, stale observedGeneration, waiting for the
-- node agent): Progressing.
local hs = {}

local function condition(conditions, type)
  if conditions == nil then return nil end
  for _, c in ipairs(conditions) do
    if c.type == type then return c end
  end
  return nil
end

local degraded = {
  AllowedIPTaken = true, KeyMismatch = true, KeySecretNotFound = true, UnsupportedProtocol = true,
  InstanceNotFound = true, FieldNotApplicable = true, PoolExhausted = true, ConfigTooLarge = true, ConfigRejected = true,
  WgSetFailed = true, InterfaceFailed = true,
}

local function isDegraded(reason)
  if reason == nil then return false end
  return degraded[reason] == true or string.sub(reason, 1, 7) == "Invalid"
end

local function text(c, fallback)
  if c.message ~= nil and c.message ~= "" then return c.message end
  if c.reason ~= nil then return c.reason end
  return fallback
end

local generation = obj.metadata and obj.metadata.generation
if obj.status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to process the peer"
  return hs
end
if generation ~= nil and (obj.status.observedGeneration == nil or obj.status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to process generation " .. generation
  return hs
end

local ready = condition(obj.status.conditions, "Ready")
if ready == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the Ready condition"
  return hs
end
if generation ~= nil and ready.observedGeneration ~= nil and ready.observedGeneration < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the Ready condition of generation " .. generation
  return hs
end

if ready.status == "True" then
  hs.status = "Healthy"
  hs.message = text(ready, "Ready")
elseif ready.status == "False" and ready.reason == "Restricted" then
  hs.status = "Suspended"
  hs.message = text(ready, "The peer is restricted")
elseif ready.status == "False" and isDegraded(ready.reason) then
  hs.status = "Degraded"
  hs.message = text(ready, "Not ready")
else
  hs.status = "Progressing"
  hs.message = text(ready, "Not ready yet")
end
return hs
