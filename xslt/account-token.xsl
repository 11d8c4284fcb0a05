<?xml version="1.0" encoding="UTF-8"?>
<!--
  Adds the sealed re-provisioning token to a shaped account (parameter 'token'). Kept apart from account.xsl
  because the account's ETag is a hash of its content without the token (sealing is randomized).
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                exclude-result-prefixes="#all"
                expand-text="yes">

  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:param name="token" as="xs:string" select="''"/>

  <xsl:mode on-no-match="shallow-copy"/>

  <xsl:template match="/account">
    <account>
      <xsl:apply-templates select="node()"/>
      <xsl:if test="$token">
        <X-xsi-token>{$token}</X-xsi-token>
      </xsl:if>
    </account>
  </xsl:template>

</xsl:stylesheet>
