-- Argo CD health check for vpn.peerwarden.io/VpnInstance.
-- Ready=True: Healthy. KeyReady=False, Applied=False (InterfaceFailed) or Ready=False for a problem
-- the user has to fix (node not found, pool overlap, invalid field, unsupported protocol):
-- Degraded, with the condition's message. Anything else (no status yet, stale observedGeneration,
-- waiting for the node agent): Progressing.
local hs = {}

local function condition(conditions, type)
  if conditions == nil then return nil end
  for _, c in ipairs(conditions) do
    if c.type == type then return c end
  end
  return nil
end

local degraded = { NodeNotFound = true, PoolOverlap = true, UnsupportedProtocol = true, KeySecretNotFound = true, EndpointUnknown = true }

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
  hs.message = "Waiting for the operator to process the instance"
  return hs
end
if generation ~= nil and (obj.status.observedGeneration == nil or obj.status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to process generation " .. generation
  return hs
end

local ready = condition(obj.status.conditions, "Ready")
local keyReady = condition(obj.status.conditions, "KeyReady")
local applied = condition(obj.status.conditions, "Applied")

if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = text(ready, "Ready")
elseif keyReady ~= nil and keyReady.status == "False" then
  hs.status = "Degraded"
  hs.message = text(keyReady, "The server key is not ready")
elseif applied ~= nil and applied.status == "False" and applied.reason == "InterfaceFailed" then
  hs.status = "Degraded"
  hs.message = text(applied, "The interface could not be applied")
elseif ready ~= nil and ready.status == "False" and isDegraded(ready.reason) then
  hs.status = "Degraded"
  hs.message = text(ready, "Not ready")
else
  hs.status = "Progressing"
  if ready ~= nil then
    hs.message = text(ready, "Not ready yet")
  else
    hs.message = "Waiting for the Ready condition"
  end
end
return hs
