<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shapes the walk (devices, chosen-device, device-file, profile, blf, params: see WalkDocumentBuilder) into Cloud
  Softphone Account XML. XSI documents are matched by local name (*:) so a platform that drops or changes the XSI
  namespace still works. The line-port fallbacks come from chosen-device, the device the walk chose (with the
  tenant's choose-device.xsl) and downloaded the file of; this stylesheet never chooses a device itself.

  The app MERGES each answer into the account it stores: a key left out keeps its old value forever. So every key
  this stylesheet manages is in every answer, empty when the platform has no value for it (p:key), and a key an
  override adds must be too: emit it with p:key, unconditionally.

  A tenant override (xslt/tenants/<tenant>/account.xsl) imports this file and replaces one of its hooks. Public
  (namespace p = urn:provisioning-proxy):
    mode p:sip           (match device-file) the element holding SIP credentials/domain/proxy/transports
    mode p:title         (match walk)        the account's title; a blank one falls back to the name, the user id,
                                             then the SIP user name (the app refuses an account without a title)
    mode p:extra-keys    (match walk)        further account keys (none by default), each emitted with p:key on
                                             every answer, so that a value that disappeared is cleared
    function p:key($name, $candidates)       the account key $name holding the first non-blank candidate, empty
                                             when there is none: always emitted
    from lib/common.xsl: p:first, p:full-name, p:sip-uri
  See xslt/tenants/ for two examples. Names in pp (urn:provisioning-proxy:private) are internals that may change.
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:p="urn:provisioning-proxy"
                xmlns:pp="urn:provisioning-proxy:private"
                exclude-result-prefixes="#all"
                expand-text="yes">

  <xsl:import href="lib/common.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:template match="/">
    <xsl:apply-templates select="walk"/>
  </xsl:template>

  <xsl:template match="walk">
    <xsl:variable name="sip" as="element()?">
      <xsl:apply-templates select="device-file" mode="p:sip"/>
    </xsl:variable>
    <xsl:variable name="details" select="profile/*/*:details"/>
    <xsl:variable name="linePort" select="normalize-space(chosen-device/*:accessDevice/*:deviceLinePort)"/>
    <xsl:variable name="portUser" select="if (contains($linePort, '@')) then substring-before($linePort, '@') else $linePort"/>
    <xsl:variable name="userId" select="p:first(($details/*:userId, @userId))"/>
    <xsl:variable name="displayName" select="p:full-name($details, $userId)"/>
    <xsl:variable name="proxy" select="$sip/*:proxy[normalize-space(@address)]"/>
    <xsl:variable name="username" select="p:first(($sip/*:credentials/*:username, $portUser))"/>
    <xsl:variable name="title" as="item()*">
      <xsl:apply-templates select="." mode="p:title">
        <xsl:with-param name="displayName" select="$displayName"/>
      </xsl:apply-templates>
    </xsl:variable>

    <account>
      <!-- never empty, whatever an override's title says: the app refuses an account without one -->
      <title>{p:first(($title, $displayName, $userId, $username))}</title>
      <xsl:sequence select="p:key('username', $username)"/>
      <xsl:sequence select="p:key('password', ($sip/*:credentials/*:auth/*:password, $sip/*:credentials/*:password))"/>
      <xsl:sequence select="p:key('authUsername', $sip/*:credentials/*:auth/*:username)"/>
      <xsl:sequence select="p:key('host', ($sip/*:domain, substring-after($linePort, '@')))"/>
      <xsl:sequence select="p:key('proxy', $proxy ! (normalize-space(@address) || (if (normalize-space(@port)) then ':' || normalize-space(@port) else '')))"/>
      <xsl:sequence select="p:key('transport', pp:transport($sip/*:transports, p:first((params/tls-transport, 'tls+sip:'))))"/>
      <xsl:sequence select="p:key('userDisplayName', $displayName)"/>
      <!-- the app puts it in the From of its calls: only when the tenant asks (send-caller-id), else sent empty -->
      <xsl:sequence select="p:key('userCallerId', if (params/send-caller-id = 'true') then $details/*:number else ())"/>
      <xsl:sequence select="p:key('voiceMailNumber', device-file/*/*:protocols/*:voice-mail/*:center-number)"/>
      <xsl:sequence select="pp:blf(blf/*, p:first((params/blf, 'list')))"/>
      <xsl:sequence select="p:key('extProvInterval', params/ext-prov-interval)"/>
      <!-- the sub-domain the app tells on-net contacts by (network-id: group, enterprise, or off: sent empty) -->
      <xsl:sequence select="p:key('networkId', pp:network-id($details, p:first((params/network-id, 'group'))))"/>
      <xsl:sequence select="p:key('X-xsi-user-id', $userId)"/>
      <xsl:sequence select="p:key('X-xsi-group-id', $details/*:groupId)"/>
      <xsl:apply-templates select="." mode="p:extra-keys"/>
    </account>
  </xsl:template>

  <!-- The account's title: the user's name (or user id). -->
  <xsl:template match="walk" mode="p:title">
    <xsl:param name="displayName" as="xs:string"/>
    <xsl:sequence select="$displayName"/>
  </xsl:template>

  <!-- Further account keys for a tenant; none by default. Emit each with p:key, on every answer. -->
  <xsl:template match="walk" mode="p:extra-keys"/>

  <!-- The SIP settings of a UC-One device file: config/protocols/sip. Override for other generations. -->
  <xsl:template match="device-file" mode="p:sip">
    <xsl:sequence select="(*/*:protocols/*:sip)[1]"/>
  </xsl:template>

  <!--
    <blf>, one <uri> per subscription the app is to make (tenant key blf, walk param blf): 'list', the BroadWorks
    resource-list URI (one subscription for every monitored user); 'users', each monitored user's id (for platforms
    without a resource-list server); 'off', none. Empty when nobody is monitored or the service is not assigned,
    so an app that subscribed before stops.
  -->
  <xsl:function name="pp:blf" as="element(blf)">
    <xsl:param name="service" as="element()?"/>
    <xsl:param name="mode" as="xs:string"/>
    <xsl:variable name="monitored" select="$service/*:monitoredUserList/*:userDetails"/>
    <blf>
      <xsl:if test="exists($monitored)">
        <xsl:choose>
          <xsl:when test="$mode = 'users'">
            <xsl:for-each select="$monitored/*:userId[normalize-space()]">
              <uri>{p:sip-uri(.)}</uri>
            </xsl:for-each>
          </xsl:when>
          <xsl:when test="$mode = 'list'">
            <xsl:for-each select="p:sip-uri($service/*:listURI)">
              <uri>{.}</uri>
            </xsl:for-each>
          </xsl:when>
        </xsl:choose>
      </xsl:if>
    </blf>
  </xsl:function>

  <!--
    The account's networkId, by the tenant's network-id (walk param): 'group', the profile's groupId; 'enterprise',
    its serviceProvider (the enterprise or service provider id, whichever BroadWorks says with @isEnterprise); 'off',
    none. p:key trims it and sends it empty when the profile lacks it.
  -->
  <xsl:function name="pp:network-id" as="item()*">
    <xsl:param name="details" as="element()?"/>
    <xsl:param name="mode" as="xs:string"/>
    <xsl:sequence select="if ($mode = 'group') then $details/*:groupId
                          else if ($mode = 'enterprise') then $details/*:serviceProvider
                          else ()"/>
  </xsl:function>

  <!--
    udp, tcp or TLS when the file states one: the transports' type, else its only transport; none otherwise. TLS is
    written as the tenant's tls-transport (walk param): 'tls+sip:' (TLS with sip: URIs, what BroadWorks access SBCs
    normally expect) or 'tls' (the app then uses sips: URIs).
  -->
  <xsl:function name="pp:transport" as="xs:string?">
    <xsl:param name="transports" as="element()?"/>
    <xsl:param name="tls" as="xs:string"/>
    <xsl:variable name="known" select="('udp', 'tcp', 'tls')"/>
    <xsl:variable name="type" select="lower-case(normalize-space($transports/@type))"/>
    <xsl:variable name="listed" select="$transports/*[lower-case(local-name()) = $known]"/>
    <xsl:variable name="stated" select="if ($type = $known) then $type
                                        else if (count($listed) = 1) then lower-case(local-name($listed))
                                        else ()"/>
    <xsl:sequence select="if ($stated = 'tls') then $tls else $stated"/>
  </xsl:function>

  <!--
    The account key $name holding the first non-blank candidate, trimmed; empty when every candidate is blank. Always
    emitted: the app merges the answer into its account, where a key left out would keep its old value.
  -->
  <xsl:function name="p:key" as="element()">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="candidates" as="item()*"/>
    <xsl:element name="{$name}">{p:first($candidates)}</xsl:element>
  </xsl:function>

</xsl:stylesheet>
